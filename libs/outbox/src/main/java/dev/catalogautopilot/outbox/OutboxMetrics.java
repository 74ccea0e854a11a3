package dev.catalogautopilot.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The outbox's Prometheus metrics (docs/operations.md): events published, parked and failed sends as counters; the
 * pending count, the oldest pending event's age and the parked count as gauges read from the last
 * {@link OutboxBacklog} snapshot.
 */
@ApplicationScoped
@Startup // the gauges exist from boot, before the first event
public class OutboxMetrics {

    private final MeterRegistry registry;
    private final Counter published;
    private final Counter sendFailures;
    private final AtomicReference<OutboxBacklog> backlog = new AtomicReference<>(OutboxBacklog.EMPTY);
    private final Clock clock = Clock.systemUTC();

    public OutboxMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.published = Counter.builder("outbox.published").description("Outbox events published to Kafka")
                .register(registry);
        this.sendFailures = Counter.builder("outbox.send.failures")
                .description("Relay passes stopped by a send Kafka may accept later (retried with backoff)")
                .register(registry);
        Gauge.builder("outbox.pending", backlog, b -> b.get().pending())
                .description("Outbox events committed but not yet published (parked ones excluded)")
                .register(registry);
        Gauge.builder("outbox.oldest.pending.age", backlog, b -> ageSeconds(b.get().oldestPending()))
                .description("Age of the oldest unpublished outbox event, 0 when none").baseUnit("seconds")
                .register(registry);
        Gauge.builder("outbox.parked.events", backlog, b -> b.get().parked())
                .description("Outbox events parked because Kafka refuses them for good (GET /outbox/parked)")
                .register(registry);
    }

    void published(int events) {
        published.increment(events);
    }

    void parked(String topic) {
        Counter.builder("outbox.parked").description("Outbox events parked since start, by topic")
                .tag("topic", topic).register(registry).increment();
    }

    void sendFailed() {
        sendFailures.increment();
    }

    void backlog(OutboxBacklog snapshot) {
        backlog.set(snapshot);
    }

    /** The last snapshot, with the oldest pending event's age as of now. */
    public OutboxBacklog backlog() {
        return backlog.get();
    }

    private double ageSeconds(Instant oldest) {
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
    }
}
