package dev.catalogautopilot.mirror.job;

import dev.catalogautopilot.events.Cause;
import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.mirror.MirrorJobCompleted;
import dev.catalogautopilot.events.mirror.MirrorJobFailed;
import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import dev.catalogautopilot.events.mirror.MirrorStats;
import dev.catalogautopilot.mirror.outbox.SqlOutbox;
import dev.catalogautopilot.mirror.track.PlanTracker;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The durable job queue of the copy workers. Job requests from Kafka become QUEUED rows (a poll's worth in one
 * statement, and the records are acknowledged at once); workers lease rows with {@code FOR UPDATE SKIP LOCKED}
 * and a lease expiry, and write outcomes in batches together with their result events and the plans' counters. A
 * worker that lost its lease (it was too slow, or presumed dead) cannot record an outcome, so every job has
 * exactly one.
 */
@ApplicationScoped
public class JobStore {

    static final String CONSUMER = "mirror-worker";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Pool pool;
    private final PlanTracker tracker;
    private final Clock clock = Clock.systemUTC();

    public JobStore(Pool pool, PlanTracker tracker) {
        this.pool = pool;
        this.tracker = tracker;
    }

    /**
     * Queues requested jobs in one transaction. A redelivered request, one for a job already past PLANNED, or one
     * for a plan this database does not hold (another deployment's) changes nothing.
     */
    public void queue(List<EventEnvelope<MirrorJobRequested>> requests, String worker) {
        if (requests.isEmpty()) {
            return;
        }
        List<String> ids = requests.stream().map(EventEnvelope::id).toList();
        pool.withTransaction(connection -> SqlOutbox.firstTimes(connection, CONSUMER, ids).chain(fresh -> {
            List<EventEnvelope<MirrorJobRequested>> first = requests.stream().filter(r -> fresh.contains(r.id()))
                    .toList();
            String[] plans = first.stream().map(r -> r.data().planId()).toArray(String[]::new);
            String[] sources = first.stream().map(r -> r.data().source()).toArray(String[]::new);
            String[] requestIds = first.stream().map(EventEnvelope::id).toArray(String[]::new);
            String[] correlations = first.stream().map(EventEnvelope::correlationId).toArray(String[]::new);
            return connection.preparedQuery("UPDATE mirror_job j SET state = 'QUEUED', request_event_id = r.id,"
                            + " correlation_id = r.correlation, received_by = $5, queued_at = now()"
                            + " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])"
                            + " AS r(plan_id, source, id, correlation)"
                            + " WHERE j.plan_id = r.plan_id AND j.source = r.source AND j.state = 'PLANNED'")
                    .execute(Tuple.of(plans, sources, requestIds, correlations, worker))
                    .replaceWithVoid();
        })).await().atMost(TIMEOUT);
    }

    /**
     * Leases up to {@code max} runnable jobs: queued ones whose backoff is over, and running ones whose lease
     * expired (their worker died). Jobs whose request this instance received come first. The attempt is counted
     * here, so a job that kills its worker runs out of attempts too ({@code PlanReconciler} fails it).
     */
    public List<LeasedJob> lease(String worker, int max, Duration lease, int maxAttempts) {
        if (max <= 0) {
            return List.of();
        }
        return pool.withTransaction(connection -> connection.preparedQuery(
                        "UPDATE mirror_job j SET state = 'RUNNING', leased_by = $1,"
                                + " lease_until = now() + make_interval(secs => $2), attempts = j.attempts + 1"
                                + " FROM (SELECT plan_id, source FROM mirror_job"
                                + "   WHERE ((state = 'QUEUED' AND (not_before IS NULL OR not_before <= now()))"
                                + "      OR (state = 'RUNNING' AND lease_until < now())) AND attempts < $4"
                                + "   ORDER BY (received_by = $1) DESC, queued_at LIMIT $3 FOR UPDATE SKIP LOCKED) due"
                                + " WHERE j.plan_id = due.plan_id AND j.source = due.source"
                                + " RETURNING j.plan_id, j.source, j.target, j.catalog, j.attempts,"
                                + " j.request_event_id, j.correlation_id")
                .execute(Tuple.of(worker, lease.toMillis() / 1000.0, max, maxAttempts)))
                .map(rows -> {
                    List<LeasedJob> jobs = new ArrayList<>();
                    for (Row row : rows) {
                        jobs.add(new LeasedJob(row.getString("plan_id"), row.getString("source"),
                                row.getString("target"), row.getString("catalog"), row.getInteger("attempts"),
                                new Cause(row.getString("request_event_id"), row.getString("correlation_id"))));
                    }
                    return jobs;
                })
                .await().atMost(TIMEOUT);
    }

    /** Extends, in one statement, the leases of jobs this instance is still working on. */
    public void renew(String worker, Collection<LeasedJob> jobs, Duration lease) {
        if (jobs.isEmpty()) {
            return;
        }
        String[] plans = jobs.stream().map(LeasedJob::planId).toArray(String[]::new);
        String[] sources = jobs.stream().map(LeasedJob::source).toArray(String[]::new);
        pool.preparedQuery("UPDATE mirror_job j SET lease_until = now() + make_interval(secs => $1)"
                        + " FROM unnest($2::text[], $3::text[]) AS r(plan_id, source)"
                        + " WHERE j.plan_id = r.plan_id AND j.source = r.source AND j.leased_by = $4"
                        + " AND j.state = 'RUNNING'")
                .execute(Tuple.of(lease.toMillis() / 1000.0, plans, sources, worker))
                .await().atMost(TIMEOUT);
    }

    /** At startup: whatever this instance held when it stopped is not running any more. */
    public int releaseAll(String worker) {
        return pool.preparedQuery("UPDATE mirror_job SET state = 'QUEUED', leased_by = NULL, lease_until = NULL"
                        + " WHERE state = 'RUNNING' AND leased_by = $1")
                .execute(Tuple.of(worker)).map(rows -> rows.rowCount()).await().atMost(TIMEOUT);
    }

    /**
     * Records outcomes in one transaction: each job's final state and result event, the plans' counters, and the
     * completion of every plan whose last job this was. Outcomes whose lease was lost meanwhile record nothing.
     *
     * @return the completion events this batch caused
     */
    public List<EventEnvelope<EventData>> finish(List<JobOutcome> outcomes, String worker) {
        if (outcomes.isEmpty()) {
            return List.of();
        }
        int n = outcomes.size();
        String[] plans = new String[n];
        String[] sources = new String[n];
        String[] states = new String[n];
        String[] digests = new String[n];
        String[] errors = new String[n];
        Long[] bytes = new Long[n];
        Integer[] copied = new Integer[n];
        Integer[] skipped = new Integer[n];
        Integer[] mounted = new Integer[n];
        Integer[] manifests = new Integer[n];
        Long[] durations = new Long[n];
        for (int i = 0; i < n; i++) {
            JobOutcome outcome = outcomes.get(i);
            MirrorStats stats = outcome.succeeded() ? outcome.result().stats() : MirrorStats.ZERO;
            plans[i] = outcome.job().planId();
            sources[i] = outcome.job().source();
            states[i] = outcome.succeeded() ? "DONE" : "FAILED";
            digests[i] = outcome.succeeded() ? outcome.result().digest().value() : null;
            errors[i] = outcome.error();
            bytes[i] = stats.bytesCopied();
            copied[i] = stats.blobsCopied();
            skipped[i] = stats.blobsSkipped();
            mounted[i] = stats.blobsMounted();
            manifests[i] = stats.manifests();
            durations[i] = stats.durationMillis();
        }
        Tuple arguments = Tuple.from(new Object[] {plans, sources, states, digests, errors, bytes, copied, skipped,
                mounted, manifests, durations, worker});
        // Images pinned by digest that are now in the mirror are remembered for later plans (mirrored_image); one
        // row per source and target, however many plans of this batch copied it.
        return pool.withTransaction(connection -> connection.preparedQuery("WITH finished AS (UPDATE mirror_job j"
                                + " SET state = o.state,"
                                + " worker = $12, digest = o.digest, error = o.error, bytes_copied = o.bytes,"
                                + " blobs_copied = o.copied, blobs_skipped = o.skipped, blobs_mounted = o.mounted,"
                                + " manifests = o.manifests, duration_ms = o.duration, finished_at = now(),"
                                + " leased_by = NULL, lease_until = NULL"
                                + " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],"
                                + " $6::bigint[], $7::int[], $8::int[], $9::int[], $10::int[], $11::bigint[])"
                                + " AS o(plan_id, source, state, digest, error, bytes, copied, skipped, mounted,"
                                + " manifests, duration)"
                                + " WHERE j.plan_id = o.plan_id AND j.source = o.source AND j.leased_by = $12"
                                + " AND j.state = 'RUNNING' RETURNING j.plan_id, j.source, j.target, j.state, j.digest)"
                                + " , remembered AS (INSERT INTO mirrored_image (source, target, digest, plan_id,"
                                + " mirrored_at) SELECT DISTINCT ON (source, target) source, target, digest, plan_id,"
                                + " now() FROM finished WHERE state = 'DONE' AND digest IS NOT NULL"
                                + " AND position('@' IN source) > 0 ORDER BY source, target, plan_id"
                                + " ON CONFLICT (source, target) DO UPDATE SET digest = EXCLUDED.digest,"
                                + " plan_id = EXCLUDED.plan_id, mirrored_at = EXCLUDED.mirrored_at)"
                                + " SELECT plan_id, source FROM finished")
                        .execute(arguments)
                        .chain(rows -> {
                            Set<String> kept = new HashSet<>();
                            rows.forEach(row -> kept.add(row.getString("plan_id") + " " + row.getString("source")));
                            List<JobOutcome> recorded = outcomes.stream().filter(o -> kept.contains(o.key())).toList();
                            return SqlOutbox.add(connection, recorded.stream().map(o -> resultEvent(o, worker))
                                            .toList())
                                    .chain(() -> tracker.finished(connection, recorded.stream()
                                            .map(o -> new PlanTracker.Finished(o.job().planId(), o.succeeded(),
                                                    o.succeeded() ? o.result().stats().bytesCopied() : 0))
                                            .toList()));
                        }))
                .await().atMost(TIMEOUT);
    }

    /** Puts a job back in the queue after a transient failure, to be tried again after {@code delay}. */
    public void retryLater(LeasedJob job, String error, Duration delay, String worker) {
        pool.preparedQuery("UPDATE mirror_job SET state = 'QUEUED', error = $4, leased_by = NULL, lease_until = NULL,"
                        + " not_before = now() + make_interval(secs => $5)"
                        + " WHERE plan_id = $1 AND source = $2 AND leased_by = $3 AND state = 'RUNNING'")
                .execute(Tuple.of(job.planId(), job.source(), worker, error, delay.toMillis() / 1000.0))
                .await().atMost(TIMEOUT);
    }

    private EventEnvelope<? extends EventData> resultEvent(JobOutcome outcome, String worker) {
        LeasedJob job = outcome.job();
        if (outcome.succeeded()) {
            return EventEnvelope.causedBy(job.cause(), EventSources.MIRROR, new MirrorJobCompleted(job.planId(),
                    job.catalog(), job.source(), job.target(), outcome.result().digest().value(),
                    outcome.result().stats(), worker), clock);
        }
        return EventEnvelope.causedBy(job.cause(), EventSources.MIRROR, new MirrorJobFailed(job.planId(),
                job.catalog(), job.source(), job.target(), outcome.error(), job.attempt()), clock);
    }
}
