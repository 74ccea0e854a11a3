package dev.catalogautopilot.rollout.state;

/** What the fleet matrix knows of one catalog on one cluster. */
public enum FleetCellState {
    /** Verified READY at the recorded image. */
    CURRENT,
    /** The last rollout failed here and restored the recorded image. */
    ROLLED_BACK,
    /** The last rollout failed here without changing the recorded image. */
    FAILED,
    /** The last rollout failed and could not restore the image: the cluster may run either image. */
    UNKNOWN
}
