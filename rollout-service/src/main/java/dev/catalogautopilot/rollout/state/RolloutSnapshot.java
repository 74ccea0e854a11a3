package dev.catalogautopilot.rollout.state;

import java.util.List;

/** A rollout with its waves (in order) and its clusters (by wave, then position), read in one session. */
public record RolloutSnapshot(Rollout rollout, List<RolloutWave> waves, List<ClusterRollout> clusters) {

    public RolloutSnapshot {
        waves = List.copyOf(waves);
        clusters = List.copyOf(clusters);
    }

    public List<ClusterRollout> clustersOf(int waveIndex) {
        return clusters.stream().filter(c -> c.waveIndex == waveIndex).toList();
    }
}
