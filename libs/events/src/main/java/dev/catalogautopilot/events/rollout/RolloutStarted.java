package dev.catalogautopilot.events.rollout;

import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.Topics;
import java.util.List;
import java.util.Objects;

/**
 * A rollout of a mirrored catalog image to the fleet began.
 *
 * @param catalog    catalog name
 * @param rolloutId  the rollout
 * @param image      the mirrored catalog image, by digest, that every cluster's CatalogSource will point at
 * @param waves      the plan, canary first
 * @param supersedes the still-running rollout of the same catalog this one replaces, otherwise null
 */
public record RolloutStarted(String catalog, String rolloutId, String image, List<Wave> waves, String supersedes)
        implements RolloutEvent {

    public static final EventType<RolloutStarted> TYPE = new EventType<>(
            "dev.catalogautopilot.rollout.started.v1", RolloutStarted.class, Topics.ROLLOUT_EVENTS);

    public RolloutStarted {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(rolloutId, "rolloutId");
        Objects.requireNonNull(image, "image");
        waves = List.copyOf(Objects.requireNonNullElse(waves, List.of()));
    }
}
