package dev.catalogautopilot.rollout.fleet;

import java.util.List;

/**
 * The waves of a rollout, canary first, and the clusters no wave selects (they are not rolled out to).
 */
public record RolloutPlan(List<PlannedWave> waves, List<String> unassigned) {

    public RolloutPlan {
        waves = List.copyOf(waves);
        unassigned = List.copyOf(unassigned);
    }

    public int clusterCount() {
        return waves.stream().mapToInt(w -> w.clusters().size()).sum();
    }
}
