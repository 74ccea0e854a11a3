package dev.catalogautopilot.events.rollout;

import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.Topics;
import java.util.List;
import java.util.Objects;

/**
 * A wave began updating its clusters.
 *
 * @param catalog   catalog name
 * @param rolloutId the rollout
 * @param wave      wave index, 0 is the canary
 * @param clusters  the wave's clusters
 */
public record WaveStarted(String catalog, String rolloutId, int wave, List<String> clusters) implements RolloutEvent {

    public static final EventType<WaveStarted> TYPE = new EventType<>(
            "dev.catalogautopilot.rollout.wave.started.v1", WaveStarted.class, Topics.ROLLOUT_EVENTS);

    public WaveStarted {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(rolloutId, "rolloutId");
        clusters = List.copyOf(Objects.requireNonNullElse(clusters, List.of()));
    }
}
