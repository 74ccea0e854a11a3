package dev.catalogautopilot.mirror.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.mirror.copy.BlobPlacement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MirrorMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MirrorMetrics metrics = new MirrorMetrics(registry);

    @Test
    void blobsAreCountedByPlacementAndOnlyCopiedOnesAddBytes() {
        metrics.blob(BlobPlacement.COPIED, 1000);
        metrics.blob(BlobPlacement.COPIED, 24);
        metrics.blob(BlobPlacement.MOUNTED, 0);
        metrics.blob(BlobPlacement.SKIPPED, 0);
        assertThat(registry.get("mirror.blobs").tag("placement", "copied").counter().count()).isEqualTo(2);
        assertThat(registry.get("mirror.blobs").tag("placement", "mounted").counter().count()).isEqualTo(1);
        assertThat(registry.get("mirror.blobs").tag("placement", "skipped").counter().count()).isEqualTo(1);
        assertThat(registry.get("mirror.copied").counter().count()).isEqualTo(1024);
    }

    @Test
    void queueGaugesAndReconciledCountsFollowTheirUpdates() {
        metrics.queue(Map.of("QUEUED", 5L, "RUNNING", 2L), 1);
        assertThat(registry.get("mirror.jobs").tag("state", "QUEUED").gauge().value()).isEqualTo(5);
        assertThat(registry.get("mirror.jobs").tag("state", "PLANNED").gauge().value()).isZero();
        assertThat(registry.get("mirror.plans.running").gauge().value()).isEqualTo(1);
        metrics.reconciled("queued_without_request", 13);
        metrics.reconciled("plan_completed", 0);
        assertThat(registry.get("mirror.reconciled").tag("action", "queued_without_request").counter().count())
                .isEqualTo(13);
        assertThat(registry.find("mirror.reconciled").tag("action", "plan_completed").counter()).isNull();
        metrics.plan("mirrored", Duration.ofSeconds(3));
        assertThat(registry.get("pipeline.plan.to.mirrored").tag("outcome", "mirrored").timer().count()).isEqualTo(1);
    }
}
