package dev.catalogautopilot.events.rollout;

import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.Topics;
import java.util.Objects;

/**
 * A failed cluster's CatalogSource was pointed back at its previous image.
 *
 * @param catalog       catalog name
 * @param rolloutId     the rollout
 * @param cluster       cluster name
 * @param wave          wave index
 * @param restoredImage the image the CatalogSource points at again
 */
public record ClusterRolledBack(String catalog, String rolloutId, String cluster, int wave, String restoredImage)
        implements RolloutEvent {

    public static final EventType<ClusterRolledBack> TYPE = new EventType<>(
            "dev.catalogautopilot.rollout.cluster.rolled-back.v1", ClusterRolledBack.class, Topics.ROLLOUT_EVENTS);

    public ClusterRolledBack {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(rolloutId, "rolloutId");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(restoredImage, "restoredImage");
    }
}
