package dev.catalogautopilot.outbox;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/** Refreshes the outbox backlog behind the lag metrics every {@code outbox.lag-interval}. */
@ApplicationScoped
class OutboxBacklogMonitor {

    private static final Logger LOG = Logger.getLogger(OutboxBacklogMonitor.class);

    private final OutboxMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    OutboxBacklogMonitor(OutboxMetrics metrics) {
        this.metrics = metrics;
    }

    @Scheduled(every = "${outbox.lag-interval:5s}", delayed = "${outbox.initial-delay:3s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            metrics.backlog(ReactiveWork.await(() -> OutboxBacklog.read(clock.instant())));
        } catch (RuntimeException e) {
            // The database is down: the last figures stay, and the consumers' and relay's own errors say why.
            LOG.debugf("outbox backlog not refreshed: %s", e.getMessage());
        }
    }
}
