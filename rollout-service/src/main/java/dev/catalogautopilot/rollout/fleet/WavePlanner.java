package dev.catalogautopilot.rollout.fleet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Plans a rollout: each cluster joins the first wave whose selector matches it, clusters within a wave are
 * updated in name order, and waves that select no cluster are left out (the rest are numbered from 0).
 */
public final class WavePlanner {

    private WavePlanner() {
    }

    public static RolloutPlan plan(List<ClusterDefinition> clusters, List<WaveDefinition> waves) {
        Set<String> left = new LinkedHashSet<>();
        clusters.stream().map(ClusterDefinition::name).sorted().forEach(left::add);
        List<PlannedWave> planned = new ArrayList<>();
        for (WaveDefinition wave : waves) {
            List<String> members = clusters.stream()
                    .filter(c -> left.contains(c.name()) && wave.selector().matches(c.labels()))
                    .map(ClusterDefinition::name)
                    .sorted(Comparator.naturalOrder())
                    .toList();
            if (members.isEmpty()) {
                continue;
            }
            members.forEach(left::remove);
            planned.add(new PlannedWave(planned.size(), wave.name(), members, wave.maxParallel(),
                    wave.verificationDeadline(), wave.soak(), wave.requiresApproval()));
        }
        return new RolloutPlan(planned, List.copyOf(left));
    }
}
