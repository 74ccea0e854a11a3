package dev.catalogautopilot.mirror.track;

import dev.catalogautopilot.events.Cause;
import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventJson;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.mirror.MirrorStats;
import dev.catalogautopilot.mirror.metrics.MirrorMetrics;
import dev.catalogautopilot.mirror.outbox.SqlOutbox;
import dev.catalogautopilot.mirror.plan.PlanArtifact;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Completes plans from the database's job states, inside the caller's transaction. Each plan counts its unfinished
 * jobs; finishing jobs decrements that count in one statement per batch, so the cost per result does not grow with
 * the plan. When the count reaches zero the plan is decided from its jobs, once: the plan row moves out of
 * RUNNING in the same transaction that adds the completion event, whose id derives from the build event, so
 * redelivery, restarts and racing instances yield one completion.
 */
@ApplicationScoped
public class PlanTracker {

    private final Clock clock = Clock.systemUTC();
    private final MirrorMetrics metrics;

    public PlanTracker(MirrorMetrics metrics) {
        this.metrics = metrics;
    }

    /** One job that reached DONE or FAILED in this transaction. */
    public record Finished(String planId, boolean done, long bytesCopied) {
    }

    /** Counts finished jobs against their plans and completes every plan that has none left; returns completions. */
    public Uni<List<EventEnvelope<EventData>>> finished(SqlConnection connection, List<Finished> finished) {
        if (finished.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Map<String, long[]> perPlan = new TreeMap<>();
        for (Finished f : finished) {
            long[] counts = perPlan.computeIfAbsent(f.planId(), id -> new long[3]);
            counts[f.done() ? 0 : 1]++;
            counts[2] += f.bytesCopied();
        }
        String[] plans = perPlan.keySet().toArray(String[]::new);
        Integer[] done = perPlan.values().stream().map(c -> (int) c[0]).toArray(Integer[]::new);
        Integer[] failed = perPlan.values().stream().map(c -> (int) c[1]).toArray(Integer[]::new);
        Long[] bytes = perPlan.values().stream().map(c -> c[2]).toArray(Long[]::new);
        return connection.preparedQuery("UPDATE mirror_plan p SET pending = p.pending - c.done - c.failed,"
                        + " done = p.done + c.done, failed = p.failed + c.failed, bytes_copied = p.bytes_copied + c.bytes"
                        + " FROM unnest($1::text[], $2::int[], $3::int[], $4::bigint[]) AS c(id, done, failed, bytes)"
                        + " WHERE p.id = c.id RETURNING p.id, p.pending, p.state")
                .execute(Tuple.of(plans, done, failed, bytes))
                .chain(rows -> {
                    List<String> complete = new ArrayList<>();
                    rows.forEach(row -> {
                        if (row.getInteger("pending") <= 0 && "RUNNING".equals(row.getString("state"))) {
                            complete.add(row.getString("id"));
                        }
                    });
                    return completeAll(connection, complete);
                });
    }

    /** Completes the plan if every job has an outcome; used by the reconciler as a safety net. */
    public Uni<List<EventEnvelope<EventData>>> completeAll(SqlConnection connection, List<String> planIds) {
        Uni<List<EventEnvelope<EventData>>> all = Uni.createFrom().item(new ArrayList<>());
        for (String planId : planIds) { // plans completing in one batch: a handful, never one per image
            all = all.chain(events -> complete(connection, planId).map(event -> {
                event.ifPresent(events::add);
                return events;
            }));
        }
        return all;
    }

    private Uni<Optional<EventEnvelope<EventData>>> complete(SqlConnection connection, String planId) {
        return connection.preparedQuery("SELECT catalog, source_catalog_image, artifact, cause_event_id,"
                        + " correlation_id, state, built_at FROM mirror_plan WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(planId))
                .chain(plans -> {
                    if (plans.rowCount() == 0 || !"RUNNING".equals(plans.iterator().next().getString("state"))) {
                        return Uni.createFrom().item(Optional.<EventEnvelope<EventData>>empty());
                    }
                    Row plan = plans.iterator().next();
                    return connection.preparedQuery("SELECT source, target, catalog_image, state, digest, error,"
                                    + " bytes_copied, blobs_copied, blobs_skipped, blobs_mounted, manifests, duration_ms,"
                                    + " reused_from IS NOT NULL AS reused"
                                    + " FROM mirror_job WHERE plan_id = $1")
                            .execute(Tuple.of(planId))
                            .chain(rows -> decide(connection, planId, plan, jobs(rows)));
                });
    }

    private Uni<Optional<EventEnvelope<EventData>>> decide(SqlConnection connection, String planId, Row plan,
                                                          List<JobRecord> jobs) {
        PlanCompletion completion = new PlanCompletion(planId, plan.getString("catalog"),
                plan.getString("source_catalog_image"), EventJson.read(plan.getString("artifact"), PlanArtifact.class),
                plan.getOffsetDateTime("built_at") == null ? null : plan.getOffsetDateTime("built_at").toInstant());
        Optional<EventData> outcome = completion.decide(jobs);
        if (outcome.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        Cause cause = new Cause(plan.getString("cause_event_id"), plan.getString("correlation_id"));
        EventEnvelope<EventData> event = EventEnvelope.causedBy(cause, EventSources.MIRROR, outcome.get(), clock);
        String state = outcome.get() instanceof CatalogMirrored ? "MIRRORED" : "FAILED";
        return connection.preparedQuery("UPDATE mirror_plan SET state = $2, completed_at = now()"
                        + " WHERE id = $1 AND state = 'RUNNING' RETURNING created_at, completed_at")
                .execute(Tuple.of(planId, state))
                .chain(updated -> {
                    if (updated.rowCount() != 1) {
                        return Uni.createFrom().item(Optional.<EventEnvelope<EventData>>empty());
                    }
                    Row times = updated.iterator().next();
                    return SqlOutbox.add(connection, event).replaceWith(Optional.of(event))
                            .invoke(() -> metrics.plan(state.toLowerCase(), Duration.between(
                                    times.getOffsetDateTime("created_at"), times.getOffsetDateTime("completed_at"))));
                });
    }

    private static List<JobRecord> jobs(Iterable<Row> rows) {
        List<JobRecord> jobs = new ArrayList<>();
        for (Row row : rows) {
            String state = row.getString("state");
            String result = "DONE".equals(state) || "FAILED".equals(state) ? state : null;
            jobs.add(new JobRecord(row.getString("source"), row.getString("target"), row.getBoolean("catalog_image"),
                    result, row.getString("digest"), row.getString("error"), new MirrorStats(
                    row.getLong("bytes_copied"), row.getInteger("blobs_copied"), row.getInteger("blobs_skipped"),
                    row.getInteger("blobs_mounted"), row.getInteger("manifests"), row.getLong("duration_ms")),
                    row.getBoolean("reused")));
        }
        return jobs;
    }
}
