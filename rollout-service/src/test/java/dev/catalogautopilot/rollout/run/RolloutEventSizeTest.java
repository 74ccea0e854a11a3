package dev.catalogautopilot.rollout.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.events.EventJson;
import dev.catalogautopilot.events.rollout.RolloutHalted;
import dev.catalogautopilot.events.rollout.RolloutStarted;
import dev.catalogautopilot.events.rollout.WaveStarted;
import dev.catalogautopilot.rollout.fleet.PlannedWave;
import dev.catalogautopilot.rollout.run.RolloutStep.ClusterView;
import dev.catalogautopilot.rollout.run.RolloutStep.WaveView;
import dev.catalogautopilot.rollout.state.ClusterState;
import dev.catalogautopilot.rollout.state.WaveStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The rollout events that list clusters stay under Kafka's 1 MiB at 1,000 clusters with the longest names. */
class RolloutEventSizeTest {

    private static final int MIB = 1024 * 1024;
    private static final String IMAGE = "mirror.example.com/olm/catalog@sha256:" + "a".repeat(64);

    @Test
    void rolloutAndWaveEventsOfAThousandClustersNamedWithTheLongestDnsNamesFitInOneMebibyte() {
        List<String> names = clusters(1000);
        List<PlannedWave> plan = List.of(wave(0, names.subList(0, 1)), wave(1, names.subList(1, 101)),
                wave(2, names.subList(101, 1000)));
        RolloutStarted started = new RolloutStarted("catalog", "r".repeat(64), IMAGE,
                plan.stream().map(PlannedWave::toEvent).toList(), null);
        WaveStarted largestWave = new WaveStarted("catalog", "r".repeat(64), 2, names.subList(101, 1000));

        assertThat(EventJson.toBytes(started).length).isLessThan(MIB);
        assertThat(EventJson.toBytes(largestWave).length).isLessThan(MIB);
    }

    @Test
    void aHaltOfAThousandClustersFailingAtOnceWithLongReasonsFitsInOneMebibyteAndKeepsEachReasonsStart() {
        String reason = "CatalogSource openshift-marketplace/catalog not READY by the deadline (PT5M); last observed: "
                + "x".repeat(2_000);
        List<ClusterView> failed = clusters(1000).stream()
                .map(name -> new ClusterView(name, ClusterState.ROLLED_BACK, reason)).toList();
        WaveView wave = new WaveView(0, WaveStatus.RUNNING, false, false, 1000, Duration.ZERO, null, failed);

        RolloutStep.Halt halt = (RolloutStep.Halt) RolloutStep.decide(false, List.of(wave), Instant.EPOCH);

        assertThat(halt.failures()).hasSize(1000).allSatisfy(f -> assertThat(f.reason())
                .startsWith("CatalogSource openshift-marketplace/catalog not READY by the deadline")
                .hasSizeLessThanOrEqualTo(RolloutStep.HALT_REASON_CHARS));
        assertThat(EventJson.toBytes(new RolloutHalted("catalog", "r".repeat(64),
                0, halt.failures())).length).isLessThan(MIB);
    }

    private static List<String> clusters(int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format("%04d", i) + "-" + "c".repeat(248)).toList();
    }

    private static PlannedWave wave(int index, List<String> clusters) {
        return new PlannedWave(index, "wave-" + index, clusters, 50, Duration.ofMinutes(5), Duration.ZERO, false);
    }
}
