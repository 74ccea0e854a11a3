package dev.catalogautopilot.rollout.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.events.rollout.ClusterFailure;
import dev.catalogautopilot.rollout.run.RolloutStep.ClusterView;
import dev.catalogautopilot.rollout.run.RolloutStep.WaveView;
import dev.catalogautopilot.rollout.state.ClusterState;
import dev.catalogautopilot.rollout.state.WaveStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutStepTest {

    private static final Instant NOW = Instant.parse("2025-03-04T12:00:00Z");

    @Test
    void firstWaveStartsThenItsClustersUpToMaxParallelInOrder() {
        WaveView canary = wave(0, WaveStatus.WAITING, 1, cluster("c0", ClusterState.PENDING));
        WaveView main = wave(1, WaveStatus.WAITING, 2, cluster("c1", ClusterState.PENDING));
        assertThat(RolloutStep.decide(false, List.of(canary, main), NOW)).isEqualTo(new RolloutStep.StartWave(0));

        WaveView running = wave(1, WaveStatus.RUNNING, 2, cluster("c1", ClusterState.UPDATED),
                cluster("c2", ClusterState.IN_PROGRESS), cluster("c3", ClusterState.PENDING),
                cluster("c4", ClusterState.PENDING));
        assertThat(RolloutStep.decide(false, List.of(completed(0, NOW, Duration.ZERO), running), NOW))
                .isEqualTo(new RolloutStep.StartClusters(1, List.of("c3")));
    }

    @Test
    void fullWaveWaitsAndFinishedWaveCompletesAndTheLastCompletesTheRollout() {
        WaveView full = wave(0, WaveStatus.RUNNING, 2, cluster("a", ClusterState.IN_PROGRESS),
                cluster("b", ClusterState.IN_PROGRESS), cluster("c", ClusterState.PENDING));
        assertThat(RolloutStep.decide(false, List.of(full), NOW)).isInstanceOf(RolloutStep.Wait.class);

        WaveView done = wave(0, WaveStatus.RUNNING, 2, cluster("a", ClusterState.UPDATED));
        assertThat(RolloutStep.decide(false, List.of(done), NOW)).isEqualTo(new RolloutStep.CompleteWave(0));
        assertThat(RolloutStep.decide(false, List.of(completed(0, NOW, Duration.ZERO)), NOW))
                .isEqualTo(new RolloutStep.Complete());
    }

    @Test
    void failureStopsNewStartsAndHaltsOnceNothingIsInProgressNamingTheFailedClusters() {
        WaveView failing = wave(0, WaveStatus.RUNNING, 3, cluster("a", ClusterState.ROLLED_BACK, "not READY"),
                cluster("b", ClusterState.IN_PROGRESS), cluster("c", ClusterState.PENDING));
        WaveView later = wave(1, WaveStatus.WAITING, 3, cluster("d", ClusterState.PENDING));
        assertThat(RolloutStep.decide(false, List.of(failing, later), NOW)).isInstanceOf(RolloutStep.Wait.class);

        WaveView failed = wave(0, WaveStatus.RUNNING, 3, cluster("a", ClusterState.ROLLED_BACK, "not READY"),
                cluster("b", ClusterState.FAILED, "unreachable"), cluster("c", ClusterState.PENDING));
        assertThat(RolloutStep.decide(false, List.of(failed, later), NOW)).isEqualTo(new RolloutStep.Halt(0,
                List.of(new ClusterFailure("a", "not READY"), new ClusterFailure("b", "unreachable"))));
    }

    @Test
    void nextWaveWaitsForTheSoakThenForItsApproval() {
        WaveView soaking = completed(0, NOW.minusSeconds(30), Duration.ofMinutes(1));
        WaveView gated = wave(1, WaveStatus.WAITING, 1, true, false, cluster("b", ClusterState.PENDING));
        assertThat(RolloutStep.decide(false, List.of(soaking, gated), NOW)).isInstanceOf(RolloutStep.Wait.class);

        WaveView soaked = completed(0, NOW.minusSeconds(61), Duration.ofMinutes(1));
        assertThat(RolloutStep.decide(false, List.of(soaked, gated), NOW)).isEqualTo(new RolloutStep.AwaitApproval(1));
        WaveView awaiting = wave(1, WaveStatus.AWAITING_APPROVAL, 1, true, false, cluster("b", ClusterState.PENDING));
        assertThat(RolloutStep.decide(false, List.of(soaked, awaiting), NOW)).isInstanceOf(RolloutStep.Wait.class);
        WaveView approved = wave(1, WaveStatus.AWAITING_APPROVAL, 1, true, true, cluster("b", ClusterState.PENDING));
        assertThat(RolloutStep.decide(false, List.of(soaked, approved), NOW)).isEqualTo(new RolloutStep.StartWave(1));
    }

    @Test
    void pausedRolloutStartsNothingNewButStillCompletesAWave() {
        WaveView waiting = wave(0, WaveStatus.WAITING, 1, cluster("a", ClusterState.PENDING));
        assertThat(RolloutStep.decide(true, List.of(waiting), NOW)).isEqualTo(new RolloutStep.Wait("paused"));
        WaveView running = wave(0, WaveStatus.RUNNING, 2, cluster("a", ClusterState.UPDATED),
                cluster("b", ClusterState.PENDING));
        assertThat(RolloutStep.decide(true, List.of(running), NOW)).isEqualTo(new RolloutStep.Wait("paused"));
        WaveView done = wave(0, WaveStatus.RUNNING, 2, cluster("a", ClusterState.UPDATED));
        assertThat(RolloutStep.decide(true, List.of(done), NOW)).isEqualTo(new RolloutStep.CompleteWave(0));
    }

    private static WaveView completed(int index, Instant at, Duration soak) {
        return new WaveView(index, WaveStatus.COMPLETED, false, false, 1, soak, at,
                List.of(cluster("done-" + index, ClusterState.UPDATED)));
    }

    private static WaveView wave(int index, WaveStatus status, int maxParallel, ClusterView... clusters) {
        return wave(index, status, maxParallel, false, false, clusters);
    }

    private static WaveView wave(int index, WaveStatus status, int maxParallel, boolean gate, boolean approved,
            ClusterView... clusters) {
        return new WaveView(index, status, gate, approved, maxParallel, Duration.ZERO, null, Arrays.asList(clusters));
    }

    private static ClusterView cluster(String name, ClusterState state) {
        return new ClusterView(name, state, null);
    }

    private static ClusterView cluster(String name, ClusterState state, String reason) {
        return new ClusterView(name, state, reason);
    }
}
