package dev.catalogautopilot.rollout.metrics;

import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/** Reads open clusters and running rollouts into {@link RolloutMetrics} every {@code rollout.metrics-refresh}. */
@ApplicationScoped
class RolloutQueueMonitor {

    private static final Logger LOG = Logger.getLogger(RolloutQueueMonitor.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private final RolloutMetrics metrics;

    RolloutQueueMonitor(Pool pool, RolloutMetrics metrics) {
        this.pool = pool;
        this.metrics = metrics;
    }

    @Scheduled(every = "${rollout.metrics-refresh:15s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            Map<String, Long> clusters = new HashMap<>();
            long[] rollouts = {0};
            pool.query("SELECT 'cluster' AS kind, c.state, count(*) AS n FROM cluster_rollout c"
                            + " JOIN rollout r ON r.id = c.rollout_id WHERE r.status = 'RUNNING'"
                            + " AND c.state IN ('PENDING', 'IN_PROGRESS') GROUP BY c.state"
                            + " UNION ALL SELECT 'rollout', status, count(*) FROM rollout WHERE status = 'RUNNING'"
                            + " GROUP BY status")
                    .execute()
                    .invoke(rows -> {
                        for (Row row : rows) {
                            if ("rollout".equals(row.getString("kind"))) {
                                rollouts[0] = row.getLong("n");
                            } else {
                                clusters.put(row.getString("state"), row.getLong("n"));
                            }
                        }
                    })
                    .await().atMost(TIMEOUT);
            metrics.queue(clusters, rollouts[0]);
        } catch (RuntimeException e) {
            // The database is down: the last figures stay; the driver's and consumers' errors say why.
            LOG.debugf("rollout queue gauges not refreshed: %s", e.getMessage());
        }
    }
}
