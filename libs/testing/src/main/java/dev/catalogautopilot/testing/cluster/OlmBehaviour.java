package dev.catalogautopilot.testing.cluster;

/** What the simulated OLM reports for a CatalogSource whose image changed. */
public enum OlmBehaviour {
    /** {@code CONNECTING}, then {@code READY} if the image can be pulled, {@code TRANSIENT_FAILURE} otherwise. */
    PULL,
    /** {@code CONNECTING}, then always {@code TRANSIENT_FAILURE}: a catalog pod that crashes. */
    FAIL,
    /** Nothing at all: the status keeps whatever it said before, as when OLM itself is down. */
    SILENT
}
