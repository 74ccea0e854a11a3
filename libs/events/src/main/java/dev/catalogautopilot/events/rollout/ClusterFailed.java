package dev.catalogautopilot.events.rollout;

import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.Topics;
import java.util.Objects;

/**
 * A cluster could not be updated or did not become {@code READY} in time.
 *
 * @param catalog   catalog name
 * @param rolloutId the rollout
 * @param cluster   cluster name
 * @param wave      wave index
 * @param reason    what failed, e.g. the last observed state at the deadline
 */
public record ClusterFailed(String catalog, String rolloutId, String cluster, int wave, String reason)
        implements RolloutEvent {

    public static final EventType<ClusterFailed> TYPE = new EventType<>(
            "dev.catalogautopilot.rollout.cluster.failed.v1", ClusterFailed.class, Topics.ROLLOUT_EVENTS);

    public ClusterFailed {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(rolloutId, "rolloutId");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(reason, "reason");
    }
}
