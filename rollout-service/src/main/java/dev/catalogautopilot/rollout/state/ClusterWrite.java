package dev.catalogautopilot.rollout.state;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One write a cluster worker makes, applied by {@link ClusterWrites} together with the other workers' writes of the
 * same moment. A write applies only while the cluster is in progress and still at {@code attempt}, the attempt of
 * the worker that made it ({@link #ANY_ATTEMPT} for the reconciler's takeover).
 */
public sealed interface ClusterWrite {

    int ANY_ATTEMPT = -1;

    String cluster();

    int attempt();

    /** A checkpoint: the change to the cluster's row before the worker's next step. */
    record Checkpoint(String cluster, int attempt, Consumer<ClusterRollout> change) implements ClusterWrite {
    }

    /** The cluster runs the new image, verified; the fleet matrix and {@code cluster.updated.v1} follow. */
    record Updated(String cluster, int attempt, Instant verifiedAt) implements ClusterWrite {
    }

    /**
     * The cluster failed. {@code restoredImage} is the image the rollback put back, if one did; a failure the
     * rollback could not repair leaves the matrix cell UNKNOWN.
     */
    record Failed(String cluster, int attempt, String reason, Optional<String> restoredImage, boolean rollbackFailed)
            implements ClusterWrite {
    }

    /**
     * The reconciler takes a stuck cluster away from its worker: a cluster that may have been changed goes to
     * ROLLING_BACK for a new worker, one that was not is failed at once; either way with {@code reason}.
     */
    record TakeOver(String cluster, String reason) implements ClusterWrite {
        @Override
        public int attempt() {
            return ANY_ATTEMPT;
        }
    }
}
