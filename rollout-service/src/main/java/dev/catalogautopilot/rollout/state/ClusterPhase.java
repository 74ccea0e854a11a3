package dev.catalogautopilot.rollout.state;

/** The last checkpoint of a cluster in progress: a restarted service resumes from it. */
public enum ClusterPhase {
    /** Mirror sets and the current CatalogSource are being read; nothing changed on the cluster yet. */
    PREPARING,
    /** The previous image is recorded and the patch may have been sent. */
    PATCHING,
    /** The CatalogSource points at the new image; waiting for READY. */
    VERIFYING,
    /** Verification failed; the previous image is being restored. */
    ROLLING_BACK
}
