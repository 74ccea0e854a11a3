package dev.catalogautopilot.events.rollout;

import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.Topics;
import java.util.List;
import java.util.Objects;

/**
 * Every cluster of a wave was updated and verified.
 *
 * @param catalog   catalog name
 * @param rolloutId the rollout
 * @param wave      wave index
 * @param clusters  the wave's clusters, all updated
 */
public record WaveCompleted(String catalog, String rolloutId, int wave, List<String> clusters)
        implements RolloutEvent {

    public static final EventType<WaveCompleted> TYPE = new EventType<>(
            "dev.catalogautopilot.rollout.wave.completed.v1", WaveCompleted.class, Topics.ROLLOUT_EVENTS);

    public WaveCompleted {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(rolloutId, "rolloutId");
        clusters = List.copyOf(Objects.requireNonNullElse(clusters, List.of()));
    }
}
