package dev.catalogautopilot.builder.build;

import dev.catalogautopilot.outbox.progress.CountGauges;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * builder-service's stage metrics (docs/operations.md): build attempt durations by outcome, detect-to-built time,
 * reconciled jobs by action, and the job queue by status as gauges refreshed by {@link BuildQueueMonitor}.
 */
@ApplicationScoped
@Startup // the gauges exist from boot, before the first job
public class BuildMetrics {

    private final MeterRegistry registry;
    private final Timer detectToBuilt;
    private final CountGauges jobs;

    public BuildMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.detectToBuilt = Timer.builder("pipeline.detect.to.built")
                .description("From the watcher detecting an upstream change to its catalog image being built")
                .register(registry);
        this.jobs = new CountGauges(registry, "builder.jobs", "Build jobs open in the database, by status",
                "status", List.of("QUEUED", "RUNNING"));
    }

    /** One attempt ended: {@code outcome} is succeeded, failed, superseded, retried or abandoned. */
    void attempt(String outcome, Duration took) {
        Timer.builder("builder.build.duration").description("Duration of one build attempt, lease to outcome")
                .tag("outcome", outcome).register(registry).record(took);
    }

    void built(Instant detectedAt, Instant builtAt) {
        if (detectedAt != null && !builtAt.isBefore(detectedAt)) {
            detectToBuilt.record(Duration.between(detectedAt, builtAt));
        }
    }

    void reconciled(String action, long jobs) {
        if (jobs > 0) {
            Counter.builder("builder.jobs.reconciled")
                    .description("Stuck build jobs the reconciler re-queued or failed, by action")
                    .tag("action", action).register(registry).increment(jobs);
        }
    }

    void queue(Map<String, Long> byStatus) {
        jobs.update(byStatus);
    }
}
