package dev.catalogautopilot.mirror.metrics;

import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Reads the job queue and the running plans into {@link MirrorMetrics} every {@code mirror.metrics-refresh}, in one
 * query over the open rows (partial-index friendly: finished jobs are not counted).
 */
@ApplicationScoped
class MirrorQueueMonitor {

    private static final Logger LOG = Logger.getLogger(MirrorQueueMonitor.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private final MirrorMetrics metrics;

    MirrorQueueMonitor(Pool pool, MirrorMetrics metrics) {
        this.pool = pool;
        this.metrics = metrics;
    }

    @Scheduled(every = "${mirror.metrics-refresh:15s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            Map<String, Long> jobs = new HashMap<>();
            long[] plans = {0};
            pool.query("SELECT 'job' AS kind, state, count(*) AS n FROM mirror_job"
                            + " WHERE state IN ('PLANNED', 'QUEUED', 'RUNNING') GROUP BY state"
                            + " UNION ALL SELECT 'plan', state, count(*) FROM mirror_plan WHERE state = 'RUNNING'"
                            + " GROUP BY state")
                    .execute()
                    .invoke(rows -> {
                        for (Row row : rows) {
                            if ("plan".equals(row.getString("kind"))) {
                                plans[0] = row.getLong("n");
                            } else {
                                jobs.put(row.getString("state"), row.getLong("n"));
                            }
                        }
                    })
                    .await().atMost(TIMEOUT);
            metrics.queue(jobs, plans[0]);
        } catch (RuntimeException e) {
            // The database is down: the last figures stay; the workers' and consumers' errors say why.
            LOG.debugf("mirror queue gauges not refreshed: %s", e.getMessage());
        }
    }
}
