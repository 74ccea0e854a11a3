package dev.catalogautopilot.builder.build;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Reads the job queue's depth into {@link BuildMetrics} every {@code builder.runner.metrics-refresh}: one query. */
@ApplicationScoped
class BuildQueueMonitor {

    private static final Logger LOG = Logger.getLogger(BuildQueueMonitor.class);

    private final BuildStore store;
    private final BuildMetrics metrics;

    BuildQueueMonitor(BuildStore store, BuildMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    @Scheduled(every = "${builder.runner.metrics-refresh:15s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            metrics.queue(store.openJobsByStatus());
        } catch (RuntimeException e) {
            // The database is down: the last figures stay; the runner's and consumers' errors say why.
            LOG.debugf("build queue gauges not refreshed: %s", e.getMessage());
        }
    }
}
