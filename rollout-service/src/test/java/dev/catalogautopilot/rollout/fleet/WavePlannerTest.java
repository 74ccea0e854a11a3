package dev.catalogautopilot.rollout.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WavePlannerTest {

    @Test
    void eachClusterJoinsTheFirstMatchingWaveInNameOrderCanaryFirst() {
        List<ClusterDefinition> clusters = List.of(
                cluster("prod-b", "ring", "main"), cluster("prod-a", "ring", "main"), cluster("dev-1", "ring", "canary"),
                cluster("stage-1", "ring", "early"), cluster("prod-c", "ring", "main"));
        RolloutPlan plan = WavePlanner.plan(clusters, List.of(
                wave("canary", "ring=canary", 1), wave("early", "ring in (early,canary)", 2), wave("rest", "", 3)));

        assertThat(plan.waves()).extracting(PlannedWave::index).containsExactly(0, 1, 2);
        assertThat(plan.waves()).extracting(PlannedWave::clusters).containsExactly(
                List.of("dev-1"), List.of("stage-1"), List.of("prod-a", "prod-b", "prod-c"));
        assertThat(plan.waves().get(2).maxParallel()).isEqualTo(3);
        assertThat(plan.unassigned()).isEmpty();
        assertThat(plan.clusterCount()).isEqualTo(5);
    }

    @Test
    void wavesSelectingNothingAreLeftOutAndUnmatchedClustersReported() {
        RolloutPlan plan = WavePlanner.plan(List.of(cluster("a", "ring", "main"), cluster("b", "ring", "other")),
                List.of(wave("canary", "ring=canary", 1), wave("main", "ring=main", 1)));

        assertThat(plan.waves()).singleElement().satisfies(w -> {
            assertThat(w.index()).isZero();
            assertThat(w.name()).isEqualTo("main");
            assertThat(w.toEvent().clusters()).containsExactly("a");
        });
        assertThat(plan.unassigned()).containsExactly("b");
    }

    private static ClusterDefinition cluster(String name, String key, String value) {
        return new ClusterDefinition(name, Map.of(key, value), new KubeconfigSource.File(Path.of("/dev/null")),
                Optional.empty(), Optional.empty());
    }

    private static WaveDefinition wave(String name, String selector, int maxParallel) {
        return new WaveDefinition(name, LabelSelector.parse(selector), maxParallel, Duration.ofMinutes(1),
                Duration.ZERO, false);
    }
}
