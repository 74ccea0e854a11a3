package dev.catalogautopilot.rollout.state;

/** Where one cluster of a rollout stands. */
public enum ClusterState {
    PENDING,
    IN_PROGRESS,
    /** At the new image and verified READY. */
    UPDATED,
    /** Failed, and its previous image was restored. */
    ROLLED_BACK,
    /** Failed without a rollback: never changed (e.g. unreachable), or the rollback itself failed. */
    FAILED,
    /** Its rollout was superseded first. */
    CANCELLED;

    public boolean failed() {
        return this == ROLLED_BACK || this == FAILED;
    }
}
