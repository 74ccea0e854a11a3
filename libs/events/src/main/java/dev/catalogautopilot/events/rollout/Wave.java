package dev.catalogautopilot.events.rollout;

import java.util.List;
import java.util.Objects;

/**
 * One wave of a rollout plan.
 *
 * @param index            0 for the canary wave, then 1, 2, …
 * @param name             e.g. {@code canary}
 * @param clusters         cluster names, in the order they are updated
 * @param requiresApproval whether the wave waits for an {@code APPROVE} action before it starts
 */
public record Wave(int index, String name, List<String> clusters, boolean requiresApproval) {
    public Wave {
        Objects.requireNonNull(name, "name");
        clusters = List.copyOf(Objects.requireNonNullElse(clusters, List.of()));
    }
}
