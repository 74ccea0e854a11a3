package dev.catalogautopilot.mirror.metrics;

import dev.catalogautopilot.mirror.copy.BlobPlacement;
import dev.catalogautopilot.outbox.progress.CountGauges;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * mirror-service's stage metrics (docs/operations.md): blobs placed and bytes copied, image copy durations,
 * plan-to-mirrored durations, reconciled work by action, and the job queue and running plans as gauges refreshed
 * by {@link MirrorQueueMonitor}.
 */
@ApplicationScoped
@Startup // the meters exist from boot, before the first plan
public class MirrorMetrics {

    private final MeterRegistry registry;
    private final Map<BlobPlacement, Counter> blobs = new EnumMap<>(BlobPlacement.class);
    private final Counter bytesCopied;
    private final CountGauges jobs;
    private final AtomicLong runningPlans = new AtomicLong();

    public MirrorMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (BlobPlacement how : BlobPlacement.values()) {
            blobs.put(how, Counter.builder("mirror.blobs")
                    .description("Blobs placed in the mirror: copied (uploaded), mounted (linked) or skipped (there)")
                    .tag("placement", how.name().toLowerCase()).register(registry));
        }
        this.bytesCopied = Counter.builder("mirror.copied").description("Blob bytes uploaded to the mirror")
                .baseUnit("bytes").register(registry);
        this.jobs = new CountGauges(registry, "mirror.jobs", "Mirror jobs without an outcome, by state", "state",
                List.of("PLANNED", "QUEUED", "RUNNING"));
        registry.gauge("mirror.plans.running", runningPlans);
    }

    public void blob(BlobPlacement how, long bytes) {
        blobs.get(how).increment();
        if (bytes > 0) {
            bytesCopied.increment(bytes);
        }
    }

    /** One copy attempt of an image ended: {@code outcome} is copied, retried or failed. */
    public void image(String outcome, Duration took) {
        Timer.builder("mirror.image.duration").description("Duration of one image copy attempt")
                .tag("outcome", outcome).register(registry).record(took);
    }

    /** A plan completed: {@code outcome} is mirrored or failed. */
    public void plan(String outcome, Duration took) {
        Timer.builder("pipeline.plan.to.mirrored")
                .description("From a mirror plan's creation (the build consumed) to its completion")
                .tag("outcome", outcome).register(registry).record(took);
    }

    public void reconciled(String action, long count) {
        if (count > 0) {
            Counter.builder("mirror.reconciled").description("Stuck mirror jobs and plans the reconciler moved on")
                    .tag("action", action).register(registry).increment(count);
        }
    }

    void queue(Map<String, Long> jobsByState, long plans) {
        jobs.update(jobsByState);
        runningPlans.set(plans);
    }
}
