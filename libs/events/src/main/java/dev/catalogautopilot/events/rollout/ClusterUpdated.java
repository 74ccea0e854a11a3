package dev.catalogautopilot.events.rollout;

import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.Topics;
import java.time.Instant;
import java.util.Objects;

/**
 * A cluster's CatalogSource points at the new image and was verified {@code READY} after the patch.
 *
 * @param catalog       catalog name
 * @param rolloutId     the rollout
 * @param cluster       cluster name
 * @param wave          wave index
 * @param previousImage the CatalogSource image before the patch, null if the CatalogSource was created
 * @param newImage      the image it points at now
 * @param mirrorSet     whether mirror sets were applied or already identical
 * @param verifiedAt    when {@code READY} (with {@code lastConnect} after the patch) was observed
 */
public record ClusterUpdated(
        String catalog,
        String rolloutId,
        String cluster,
        int wave,
        String previousImage,
        String newImage,
        MirrorSetOutcome mirrorSet,
        Instant verifiedAt) implements RolloutEvent {

    public static final EventType<ClusterUpdated> TYPE = new EventType<>(
            "dev.catalogautopilot.rollout.cluster.updated.v1", ClusterUpdated.class, Topics.ROLLOUT_EVENTS);

    public ClusterUpdated {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(rolloutId, "rolloutId");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(newImage, "newImage");
    }
}
