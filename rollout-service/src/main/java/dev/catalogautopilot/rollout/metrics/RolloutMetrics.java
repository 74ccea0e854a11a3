package dev.catalogautopilot.rollout.metrics;

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
import java.util.concurrent.atomic.AtomicLong;

/**
 * rollout-service's stage metrics (docs/operations.md): rollout durations by final status, clusters taken over
 * from stuck workers, and the open clusters and running rollouts as gauges refreshed by
 * {@link RolloutQueueMonitor}.
 */
@ApplicationScoped
@Startup // the meters exist from boot, before the first rollout
public class RolloutMetrics {

    private final MeterRegistry registry;
    private final Counter takenOver;
    private final CountGauges clusters;
    private final AtomicLong running = new AtomicLong();

    public RolloutMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.takenOver = Counter.builder("rollout.clusters.taken.over")
                .description("Clusters the reconciler took over from a worker stuck past its deadline")
                .register(registry);
        this.clusters = new CountGauges(registry, "rollout.clusters", "Clusters of open rollouts without a verdict, by state",
                "state", List.of("PENDING", "IN_PROGRESS"));
        registry.gauge("rollout.rollouts.running", running);
    }

    /** A rollout ended ({@code status}: completed, halted, …), {@code createdAt} being when it started. */
    public void finished(String status, Instant createdAt, Instant now) {
        if (createdAt != null && !now.isBefore(createdAt)) {
            Timer.builder("rollout.duration").description("From a rollout's start to its end, by final status")
                    .tag("status", status).register(registry).record(Duration.between(createdAt, now));
        }
    }

    public void takenOver() {
        takenOver.increment();
    }

    void queue(Map<String, Long> clustersByState, long rollouts) {
        clusters.update(clustersByState);
        running.set(rollouts);
    }
}
