package dev.catalogautopilot.events.rollout;

import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.Topics;
import java.util.Objects;

/**
 * A newer rollout of the same catalog replaced this still-running one, which does no further work.
 *
 * @param catalog      catalog name
 * @param rolloutId    the superseded rollout
 * @param supersededBy the newer rollout
 */
public record RolloutSuperseded(String catalog, String rolloutId, String supersededBy) implements RolloutEvent {

    public static final EventType<RolloutSuperseded> TYPE = new EventType<>(
            "dev.catalogautopilot.rollout.superseded.v1", RolloutSuperseded.class, Topics.ROLLOUT_EVENTS);

    public RolloutSuperseded {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(rolloutId, "rolloutId");
        Objects.requireNonNull(supersededBy, "supersededBy");
    }
}
