package dev.catalogautopilot.events.rollout;

import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.Topics;
import java.util.Objects;

/**
 * Every wave completed: the whole fleet serves the new catalog image.
 *
 * @param catalog   catalog name
 * @param rolloutId the rollout
 * @param clusters  how many clusters were updated
 * @param image     the catalog image the fleet now runs
 * @param digest    that image's digest
 */
public record RolloutCompleted(String catalog, String rolloutId, int clusters, String image, String digest)
        implements RolloutEvent {

    public static final EventType<RolloutCompleted> TYPE = new EventType<>(
            "dev.catalogautopilot.rollout.completed.v1", RolloutCompleted.class, Topics.ROLLOUT_EVENTS);

    public RolloutCompleted {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(rolloutId, "rolloutId");
        Objects.requireNonNull(digest, "digest");
    }
}
