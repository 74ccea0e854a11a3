package dev.catalogautopilot.rollout.fleet;

import dev.catalogautopilot.events.rollout.Wave;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** A wave of one rollout: its definition's settings and the clusters it got, in update order. */
public record PlannedWave(int index, String name, List<String> clusters, int maxParallel,
        Duration verificationDeadline, Duration soak, boolean requiresApproval) {

    public PlannedWave {
        Objects.requireNonNull(name, "name");
        clusters = List.copyOf(clusters);
    }

    /** The wave as the rollout-started event lists it. */
    public Wave toEvent() {
        return new Wave(index, name, clusters, requiresApproval);
    }
}
