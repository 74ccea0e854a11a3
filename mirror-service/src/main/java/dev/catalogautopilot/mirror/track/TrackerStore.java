package dev.catalogautopilot.mirror.track;

import dev.catalogautopilot.events.Cause;
import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.mirror.MirrorJobCompleted;
import dev.catalogautopilot.events.mirror.MirrorJobFailed;
import dev.catalogautopilot.events.mirror.MirrorJobResult;
import dev.catalogautopilot.events.mirror.MirrorStats;
import dev.catalogautopilot.mirror.outbox.SqlOutbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Records job results and completes plans. Each result is applied once (processed-event id); the plan row is
 * locked while its outcome is decided, and moves out of RUNNING in the same transaction that adds the completion
 * event, whose id derives from the build event: redelivery, restarts and racing instances yield one completion.
 */
@ApplicationScoped
public class TrackerStore {

    static final String CONSUMER = "mirror-tracker";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Pool pool;
    private final Clock clock = Clock.systemUTC();

    public TrackerStore(Pool pool) {
        this.pool = pool;
    }

    /** Applies a job result; returns the completion event it caused, if it was the plan's last result. */
    public Optional<EventEnvelope<EventData>> record(EventEnvelope<? extends MirrorJobResult> result) {
        MirrorJobResult data = result.data();
        return pool.withTransaction(connection -> SqlOutbox.firstTime(connection, CONSUMER, result.id())
                .chain(first -> first ? apply(connection, data)
                        : Uni.createFrom().item(Optional.<EventEnvelope<EventData>>empty())))
                .await().atMost(TIMEOUT);
    }

    private Uni<Optional<EventEnvelope<EventData>>> apply(SqlConnection connection, MirrorJobResult data) {
        Uni<?> update;
        if (data instanceof MirrorJobCompleted done) {
            MirrorStats s = done.stats();
            update = connection.preparedQuery("UPDATE mirror_job SET result = 'DONE', digest = $3, bytes_copied = $4,"
                            + " blobs_copied = $5, blobs_skipped = $6, blobs_mounted = $7, manifests = $8,"
                            + " duration_ms = $9 WHERE plan_id = $1 AND source = $2")
                    .execute(Tuple.from(Arrays.asList(done.planId(), done.source(), done.digest(), s.bytesCopied(),
                            s.blobsCopied(), s.blobsSkipped(), s.blobsMounted(), s.manifests(), s.durationMillis())));
        } else {
            MirrorJobFailed failed = (MirrorJobFailed) data;
            update = connection.preparedQuery("UPDATE mirror_job SET result = 'FAILED', error = $3"
                            + " WHERE plan_id = $1 AND source = $2")
                    .execute(Tuple.of(failed.planId(), failed.source(), failed.error()));
        }
        return connection.preparedQuery("SELECT catalog, source_catalog_image, mapping, icsp, idms, cause_event_id,"
                        + " correlation_id, state FROM mirror_plan WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(data.planId()))
                .chain(plans -> {
                    if (plans.rowCount() == 0) {
                        return Uni.createFrom().item(Optional.<EventEnvelope<EventData>>empty());
                    }
                    Row plan = plans.iterator().next();
                    return update.chain(() -> complete(connection, data.planId(), plan));
                });
    }

    private Uni<Optional<EventEnvelope<EventData>>> complete(SqlConnection connection, String planId, Row plan) {
        if (!"RUNNING".equals(plan.getString("state"))) {
            return Uni.createFrom().item(Optional.empty());
        }
        PlanCompletion completion = new PlanCompletion(planId, plan.getString("catalog"),
                plan.getString("source_catalog_image"), plan.getString("mapping"), plan.getString("icsp"),
                plan.getString("idms"));
        Cause cause = new Cause(plan.getString("cause_event_id"), plan.getString("correlation_id"));
        return connection.preparedQuery("SELECT source, target, catalog_image, result, digest, error, bytes_copied,"
                        + " blobs_copied, blobs_skipped, blobs_mounted, manifests, duration_ms"
                        + " FROM mirror_job WHERE plan_id = $1")
                .execute(Tuple.of(planId))
                .chain(rows -> {
                    List<JobRecord> jobs = new ArrayList<>();
                    for (Row row : rows) {
                        jobs.add(new JobRecord(row.getString("source"), row.getString("target"),
                                row.getBoolean("catalog_image"), row.getString("result"), row.getString("digest"),
                                row.getString("error"), new MirrorStats(row.getLong("bytes_copied"),
                                row.getInteger("blobs_copied"), row.getInteger("blobs_skipped"),
                                row.getInteger("blobs_mounted"), row.getInteger("manifests"),
                                row.getLong("duration_ms"))));
                    }
                    Optional<EventData> outcome = completion.decide(jobs);
                    if (outcome.isEmpty()) {
                        return Uni.createFrom().item(Optional.<EventEnvelope<EventData>>empty());
                    }
                    EventEnvelope<EventData> event = EventEnvelope.causedBy(cause, EventSources.MIRROR,
                            outcome.get(), clock);
                    String state = outcome.get() instanceof CatalogMirrored ? "MIRRORED" : "FAILED";
                    return connection.preparedQuery("UPDATE mirror_plan SET state = $2, completed_at = now()"
                                    + " WHERE id = $1 AND state = 'RUNNING'")
                            .execute(Tuple.of(planId, state))
                            .chain(updated -> updated.rowCount() == 1
                                    ? SqlOutbox.add(connection, event).replaceWith(Optional.of(event))
                                    : Uni.createFrom().item(Optional.<EventEnvelope<EventData>>empty()));
                });
    }
}
