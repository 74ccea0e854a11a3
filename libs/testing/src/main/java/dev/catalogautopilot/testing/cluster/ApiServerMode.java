package dev.catalogautopilot.testing.cluster;

/** How a simulated API server answers. */
public enum ApiServerMode {
    /** Like a healthy API server. */
    ANSWERING,
    /** Every request gets {@code 503 Service Unavailable}. */
    FAILING,
    /** Connections are accepted, requests are never answered: a cluster behind a black-holed network path. */
    SILENT
}
