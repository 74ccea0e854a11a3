package dev.catalogautopilot.events.rollout;

import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.Topics;
import java.util.Objects;

/**
 * A cluster could not be updated or did not become {@code READY} in time.
 *
 * @param catalog        catalog name
 * @param rolloutId      the rollout
 * @param cluster        cluster name
 * @param wave           wave index
 * @param reason         what failed, e.g. the last observed state at the deadline
 * @param currentImage   the image the CatalogSource is left pointing at as far as the service knows (the restored
 *                       image, or the one it had when nothing was changed); null when unknown
 * @param rollbackFailed the rollback could not restore the previous image: the cluster may run either image
 */
public record ClusterFailed(String catalog, String rolloutId, String cluster, int wave, String reason,
        String currentImage, boolean rollbackFailed) implements RolloutEvent {

    public static final EventType<ClusterFailed> TYPE = new EventType<>(
            "dev.catalogautopilot.rollout.cluster.failed.v1", ClusterFailed.class, Topics.ROLLOUT_EVENTS);

    public ClusterFailed {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(rolloutId, "rolloutId");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(reason, "reason");
    }

    /** A failure without the fleet-state fields added later (they read as null and false from older events). */
    public ClusterFailed(String catalog, String rolloutId, String cluster, int wave, String reason) {
        this(catalog, rolloutId, cluster, wave, reason, null, false);
    }
}
