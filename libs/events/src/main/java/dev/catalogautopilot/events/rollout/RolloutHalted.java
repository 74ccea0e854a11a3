package dev.catalogautopilot.events.rollout;

import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.Topics;
import java.util.List;
import java.util.Objects;

/**
 * A rollout stopped because clusters failed; later waves never start (a new catalog-mirrored
 * event or a {@code REDRIVE} starts a new rollout).
 *
 * @param catalog         catalog name
 * @param rolloutId       the rollout
 * @param wave            the wave that failed
 * @param failingClusters the clusters that failed, with reasons
 */
public record RolloutHalted(String catalog, String rolloutId, int wave, List<ClusterFailure> failingClusters)
        implements RolloutEvent {

    public static final EventType<RolloutHalted> TYPE = new EventType<>(
            "dev.catalogautopilot.rollout.halted.v1", RolloutHalted.class, Topics.ROLLOUT_EVENTS);

    public RolloutHalted {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(rolloutId, "rolloutId");
        failingClusters = List.copyOf(Objects.requireNonNullElse(failingClusters, List.of()));
    }
}
