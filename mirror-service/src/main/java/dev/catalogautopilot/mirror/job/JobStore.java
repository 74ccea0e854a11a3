package dev.catalogautopilot.mirror.job;

import dev.catalogautopilot.events.Cause;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.mirror.MirrorJobCompleted;
import dev.catalogautopilot.events.mirror.MirrorJobFailed;
import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import dev.catalogautopilot.events.mirror.MirrorStats;
import dev.catalogautopilot.mirror.copy.CopyResult;
import dev.catalogautopilot.mirror.outbox.SqlOutbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The durable job queue of the copy workers. A job request from Kafka becomes a QUEUED row (and the record is
 * acknowledged at once); workers lease rows with {@code FOR UPDATE SKIP LOCKED} and a lease expiry, and write each
 * outcome together with its result event. A worker that lost its lease (it was too slow, or presumed dead) cannot
 * record an outcome, so every job has exactly one.
 */
@ApplicationScoped
public class JobStore {

    static final String CONSUMER = "mirror-worker";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Pool pool;
    private final Clock clock = Clock.systemUTC();

    public JobStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Queues a requested job. A redelivered request, one for a job already past PLANNED, or one for a plan this
     * database does not hold (another deployment's) changes nothing.
     */
    public void queue(EventEnvelope<MirrorJobRequested> request, String worker) {
        MirrorJobRequested job = request.data();
        pool.withTransaction(connection -> SqlOutbox.firstTime(connection, CONSUMER, request.id()).chain(first -> {
            if (!first) {
                return Uni.createFrom().voidItem();
            }
            return connection.preparedQuery("UPDATE mirror_job SET state = 'QUEUED', request_event_id = $3,"
                            + " correlation_id = $4, received_by = $5, queued_at = now()"
                            + " WHERE plan_id = $1 AND source = $2 AND state = 'PLANNED'")
                    .execute(Tuple.from(Arrays.asList(job.planId(), job.source(), request.id(),
                            request.correlationId(), worker)))
                    .replaceWithVoid();
        })).await().atMost(TIMEOUT);
    }

    /**
     * Leases up to {@code max} runnable jobs: queued ones whose backoff is over, and running ones whose lease
     * expired (their worker died). Jobs whose request this instance received come first.
     */
    public List<LeasedJob> lease(String worker, int max, Duration lease) {
        if (max <= 0) {
            return List.of();
        }
        return pool.withTransaction(connection -> connection.preparedQuery(
                        "UPDATE mirror_job j SET state = 'RUNNING', leased_by = $1,"
                                + " lease_until = now() + make_interval(secs => $2), attempts = j.attempts + 1"
                                + " FROM (SELECT plan_id, source FROM mirror_job"
                                + "   WHERE (state = 'QUEUED' AND (not_before IS NULL OR not_before <= now()))"
                                + "      OR (state = 'RUNNING' AND lease_until < now())"
                                + "   ORDER BY (received_by = $1) DESC, queued_at LIMIT $3 FOR UPDATE SKIP LOCKED) due"
                                + " WHERE j.plan_id = due.plan_id AND j.source = due.source"
                                + " RETURNING j.plan_id, j.source, j.target, j.catalog, j.attempts,"
                                + " j.request_event_id, j.correlation_id")
                .execute(Tuple.of(worker, lease.toMillis() / 1000.0, max)))
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

    /** Extends the leases of jobs this instance is still copying. */
    public void renew(String worker, Collection<LeasedJob> jobs, Duration lease) {
        for (LeasedJob job : jobs) {
            pool.preparedQuery("UPDATE mirror_job SET lease_until = now() + make_interval(secs => $1)"
                            + " WHERE plan_id = $2 AND source = $3 AND leased_by = $4 AND state = 'RUNNING'")
                    .execute(Tuple.of(lease.toMillis() / 1000.0, job.planId(), job.source(), worker))
                    .await().atMost(TIMEOUT);
        }
    }

    /** At startup: whatever this instance held when it stopped is not running any more. */
    public int releaseAll(String worker) {
        return pool.preparedQuery("UPDATE mirror_job SET state = 'QUEUED', leased_by = NULL, lease_until = NULL"
                        + " WHERE state = 'RUNNING' AND leased_by = $1")
                .execute(Tuple.of(worker)).map(rows -> rows.rowCount()).await().atMost(TIMEOUT);
    }

    /** Records a copied image and its result event; false when the lease was lost meanwhile. */
    public boolean complete(LeasedJob job, CopyResult result, String worker) {
        MirrorStats stats = result.stats();
        EventEnvelope<MirrorJobCompleted> event = EventEnvelope.causedBy(job.cause(), EventSources.MIRROR,
                new MirrorJobCompleted(job.planId(), job.catalog(), job.source(), job.target(),
                        result.digest().value(), stats, worker), clock);
        return finish(job, worker, event, "UPDATE mirror_job SET state = 'DONE', worker = $3, digest = $4,"
                        + " error = NULL, bytes_copied = $5, blobs_copied = $6, blobs_skipped = $7, blobs_mounted = $8,"
                        + " manifests = $9, duration_ms = $10, finished_at = now(), leased_by = NULL, lease_until = NULL"
                        + " WHERE plan_id = $1 AND source = $2 AND leased_by = $3 AND state = 'RUNNING'",
                Tuple.from(Arrays.asList(job.planId(), job.source(), worker, result.digest().value(),
                        stats.bytesCopied(), stats.blobsCopied(), stats.blobsSkipped(), stats.blobsMounted(),
                        stats.manifests(), stats.durationMillis())));
    }

    /** Gives up on an image and records its failure event; false when the lease was lost meanwhile. */
    public boolean fail(LeasedJob job, String error, String worker) {
        EventEnvelope<MirrorJobFailed> event = EventEnvelope.causedBy(job.cause(), EventSources.MIRROR,
                new MirrorJobFailed(job.planId(), job.catalog(), job.source(), job.target(), error, job.attempt()),
                clock);
        return finish(job, worker, event, "UPDATE mirror_job SET state = 'FAILED', worker = $3, error = $4,"
                        + " finished_at = now(), leased_by = NULL, lease_until = NULL"
                        + " WHERE plan_id = $1 AND source = $2 AND leased_by = $3 AND state = 'RUNNING'",
                Tuple.of(job.planId(), job.source(), worker, error));
    }

    /** Puts a job back in the queue after a transient failure, to be tried again after {@code delay}. */
    public void retryLater(LeasedJob job, String error, Duration delay, String worker) {
        pool.preparedQuery("UPDATE mirror_job SET state = 'QUEUED', error = $4, leased_by = NULL, lease_until = NULL,"
                        + " not_before = now() + make_interval(secs => $5)"
                        + " WHERE plan_id = $1 AND source = $2 AND leased_by = $3 AND state = 'RUNNING'")
                .execute(Tuple.of(job.planId(), job.source(), worker, error, delay.toMillis() / 1000.0))
                .await().atMost(TIMEOUT);
    }

    private boolean finish(LeasedJob job, String worker, EventEnvelope<?> event, String update, Tuple arguments) {
        return pool.withTransaction(connection -> connection.preparedQuery(update).execute(arguments)
                        .chain(rows -> rows.rowCount() == 1
                                ? SqlOutbox.add(connection, event).replaceWith(true)
                                : Uni.createFrom().item(false)))
                .await().atMost(TIMEOUT);
    }
}
