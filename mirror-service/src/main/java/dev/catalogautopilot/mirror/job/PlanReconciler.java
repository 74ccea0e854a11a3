package dev.catalogautopilot.mirror.job;

import dev.catalogautopilot.events.Cause;
import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.mirror.MirrorJobFailed;
import dev.catalogautopilot.mirror.config.MirrorConfig;
import dev.catalogautopilot.mirror.metrics.MirrorMetrics;
import dev.catalogautopilot.outbox.progress.ProgressWatchdog;
import dev.catalogautopilot.outbox.progress.ProgressWatchdogs;
import dev.catalogautopilot.mirror.outbox.SqlOutbox;
import dev.catalogautopilot.mirror.track.PlanTracker;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Finds mirror work stuck past a bound and moves it on, so no plan waits forever without saying why:
 * <ul>
 *   <li>a job still PLANNED after {@code mirror.plans.request-timeout} (its request never arrived, say it was
 *       dead-lettered) is queued without it;</li>
 *   <li>a job whose lease expired after its last attempt (it killed or outlived its worker every time) fails with
 *       that reason;</li>
 *   <li>a plan past its deadline fails every image without an outcome, naming the deadline;</li>
 *   <li>a plan with no job left unfinished is completed (a safety net for the counters).</li>
 * </ul>
 * Every instance runs it; each step is one statement whose conditions make a second instance's pass a no-op.
 */
@ApplicationScoped
public class PlanReconciler {

    private static final Logger LOG = Logger.getLogger(PlanReconciler.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** A job failed before its request arrived has the build event as its cause. */
    private static final String FAILED_JOB_COLUMNS = " RETURNING plan_id, source, target, catalog, attempts, error,"
            + " coalesce(request_event_id, (SELECT cause_event_id FROM mirror_plan WHERE id = plan_id))"
            + " AS request_event_id,"
            + " coalesce(correlation_id, (SELECT correlation_id FROM mirror_plan WHERE id = plan_id)) AS correlation_id";

    private final Pool pool;
    private final PlanTracker tracker;
    private final MirrorConfig.Plans plans;
    private final int maxAttempts;
    private final Clock clock = Clock.systemUTC();
    private final AtomicLong reconciled = new AtomicLong();
    private final MirrorMetrics metrics;
    private final ProgressWatchdog watchdog;

    public PlanReconciler(Pool pool, PlanTracker tracker, MirrorConfig config, MirrorMetrics metrics,
            ProgressWatchdogs watchdogs) {
        this.metrics = metrics;
        this.watchdog = watchdogs.watch("mirror-reconciler", config.stuckAfter());
        this.pool = pool;
        this.tracker = tracker;
        this.plans = config.plans();
        this.maxAttempts = config.worker().maxAttempts();
    }

    @Scheduled(every = "${mirror.plans.reconcile-interval:15s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.warnf("reconciling mirror plans failed, will retry: %s", e.getMessage());
        }
    }

    /** How many jobs and plans the reconciler has moved on since this instance started. */
    public long reconciled() {
        return reconciled.get();
    }

    /** One pass; returns how many jobs and plans it moved on. */
    public int reconcile() {
        return pool.withTransaction(connection -> queueLostRequests(connection)
                .chain(queued -> failJobs(connection, "UPDATE mirror_job SET state = 'FAILED', error ="
                                + " 'its worker was lost on each of ' || attempts || ' attempts (lease expired)',"
                                + " finished_at = now(), leased_by = NULL, lease_until = NULL"
                                + " WHERE state = 'RUNNING' AND lease_until < now() AND attempts >= $1"
                                + FAILED_JOB_COLUMNS, Tuple.of(maxAttempts))
                        .chain(lost -> failJobs(connection, "UPDATE mirror_job SET state = 'FAILED', error ="
                                        + " 'the plan''s deadline (' || $1 || ') passed before this image was mirrored',"
                                        + " finished_at = now(), leased_by = NULL, lease_until = NULL"
                                        + " WHERE state NOT IN ('DONE', 'FAILED') AND plan_id IN (SELECT id FROM mirror_plan"
                                        + " WHERE state = 'RUNNING' AND deadline_at < now())" + FAILED_JOB_COLUMNS,
                                Tuple.of(plans.deadline().toString()))
                                .chain(late -> completeFinishedPlans(connection)
                                        .map(completed -> {
                                            int total = queued + lost + late + completed;
                                            metrics.reconciled("queued_without_request", queued);
                                            metrics.reconciled("failed_worker_lost", lost);
                                            metrics.reconciled("failed_plan_deadline", late);
                                            metrics.reconciled("plan_completed", completed);
                                            if (total > 0) {
                                                LOG.infof("reconciled mirror work: %d jobs queued without their"
                                                                + " request, %d failed after losing every worker,"
                                                                + " %d failed at the plan deadline, %d plans completed",
                                                        queued, lost, late, completed);
                                            }
                                            return total;
                                        })))))
                .invoke(reconciled::addAndGet)
                .invoke(watchdog::idle) // a completed pass is its progress
                .await().atMost(TIMEOUT);
    }

    private Uni<Integer> queueLostRequests(SqlConnection connection) {
        return connection.preparedQuery("UPDATE mirror_job j SET state = 'QUEUED', queued_at = now(),"
                        + " request_event_id = p.cause_event_id, correlation_id = p.correlation_id FROM mirror_plan p"
                        + " WHERE j.plan_id = p.id AND p.state = 'RUNNING' AND j.state = 'PLANNED'"
                        + " AND p.created_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of(plans.requestTimeout().toMillis() / 1000.0))
                .map(RowSet::rowCount);
    }

    /** Runs an update that fails jobs, then records their result events and counts them against their plans. */
    private Uni<Integer> failJobs(SqlConnection connection, String update, Tuple arguments) {
        return connection.preparedQuery(update).execute(arguments).chain(rows -> {
            List<EventEnvelope<? extends EventData>> events = new ArrayList<>();
            List<PlanTracker.Finished> finished = new ArrayList<>();
            for (Row row : rows) {
                events.add(EventEnvelope.causedBy(new Cause(row.getString("request_event_id"),
                                row.getString("correlation_id")), EventSources.MIRROR,
                        new MirrorJobFailed(row.getString("plan_id"), row.getString("catalog"), row.getString("source"),
                                row.getString("target"), row.getString("error"), row.getInteger("attempts")), clock));
                finished.add(new PlanTracker.Finished(row.getString("plan_id"), false, 0));
            }
            return SqlOutbox.add(connection, events)
                    .chain(() -> tracker.finished(connection, finished))
                    .replaceWith(rows.rowCount());
        });
    }

    private Uni<Integer> completeFinishedPlans(SqlConnection connection) {
        return connection.preparedQuery("SELECT id FROM mirror_plan WHERE state = 'RUNNING' AND pending <= 0")
                .execute()
                .chain(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getString("id")));
                    return tracker.completeAll(connection, ids).map(List::size);
                });
    }
}
