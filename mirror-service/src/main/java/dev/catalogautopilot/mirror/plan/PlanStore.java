package dev.catalogautopilot.mirror.plan;

import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventJson;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.mirror.CatalogMirrorFailed;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import dev.catalogautopilot.mirror.outbox.SqlOutbox;
import io.smallrye.mutiny.Uni;
import dev.catalogautopilot.mirror.track.PlanTracker;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Persists a plan, its job rows and its job requests in one transaction with the build event's id, so a
 * redelivered build event plans nothing twice and a crash loses nothing. Images an earlier plan mirrored to the
 * same targets are done at once ({@code mirrored_image}), so an unchanged catalog is re-planned in one pass.
 */
@ApplicationScoped
public class PlanStore {

    static final String CONSUMER = "mirror-planner";

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Pool pool;
    private final PlanTracker tracker;
    private final Clock clock = Clock.systemUTC();

    public PlanStore(Pool pool, PlanTracker tracker) {
        this.pool = pool;
        this.tracker = tracker;
    }

    /** Whether this build event was planned (or refused) already. */
    public boolean planned(String buildEventId) {
        return pool.preparedQuery("SELECT 1 FROM processed_event WHERE id = $1")
                .execute(Tuple.of(CONSUMER + "/" + buildEventId)).map(rows -> rows.rowCount() > 0)
                .await().atMost(TIMEOUT);
    }

    /**
     * Records a build that cannot be planned as a FAILED plan with its reason, and its
     * {@code catalog.mirror-failed.v1}; false when this build event was already handled.
     */
    public boolean refuse(EventEnvelope<CatalogBuilt> built, String planId, String reason) {
        CatalogBuilt data = built.data();
        EventEnvelope<CatalogMirrorFailed> failed = EventEnvelope.causedBy(built, EventSources.MIRROR,
                new CatalogMirrorFailed(data.catalog(), planId, List.of(), 0, reason), clock);
        return pool.withTransaction(connection -> SqlOutbox.firstTime(connection, CONSUMER, built.id())
                .chain(first -> !first ? Uni.createFrom().item(false) : connection.preparedQuery(
                                "INSERT INTO mirror_plan (id, catalog, source_catalog_image, catalog_target,"
                                        + " cause_event_id, correlation_id, mapping, icsp, idms, rejected, images,"
                                        + " pending, state, reason, created_at, completed_at)"
                                        + " VALUES ($1, $2, $3, '', $4, $5, '', '', '', '', 0, 0, 'FAILED', $6, now(),"
                                        + " now())")
                        .execute(Tuple.from(Arrays.asList(planId, data.catalog(), data.image(), built.id(),
                                built.correlationId(), reason)))
                        .chain(() -> SqlOutbox.add(connection, failed))
                        .replaceWith(true)))
                .await().atMost(TIMEOUT);
    }

    /**
     * What saving a plan did.
     *
     * @param planned false when this build event was already planned
     * @param reused  jobs done at planning because an earlier plan copied the same image to the same target
     */
    public record Saved(boolean planned, int reused) {
    }

    /**
     * Stores the plan, its jobs and the requests of every job that is not reused from an earlier plan, in one
     * transaction; a plan that has nothing left to copy completes in the same transaction.
     */
    public Saved save(EventEnvelope<CatalogBuilt> built, String planId, MirrorPlan plan, PlanArtifact artifact,
                      List<EventEnvelope<MirrorJobRequested>> requests, Duration deadline, Duration reuseFor) {
        CatalogBuilt data = built.data();
        String rejected = plan.rejected().stream().map(r -> r.reference() + "\t" + r.reason())
                .collect(Collectors.joining("\n"));
        int n = plan.images().size();
        String[] sources = new String[n];
        String[] targets = new String[n];
        Boolean[] catalogImages = new Boolean[n];
        for (int i = 0; i < n; i++) {
            PlannedImage image = plan.images().get(i);
            sources[i] = image.source().toString();
            targets[i] = image.target().toString();
            catalogImages[i] = image.catalogImage();
        }
        return pool.withTransaction(connection -> SqlOutbox.firstTime(connection, CONSUMER, built.id())
                .chain(first -> {
                    if (!first) {
                        return Uni.createFrom().item(new Saved(false, 0));
                    }
                    return connection.preparedQuery("INSERT INTO mirror_plan (id, catalog, source_catalog_image,"
                                    + " catalog_target, cause_event_id, correlation_id, mapping, icsp, idms, rejected,"
                                    + " images, pending, state, created_at, deadline_at, artifact, built_at)"
                                    + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, 'RUNNING', now(),"
                                    + " now() + make_interval(secs => $12), $13, $14)")
                            .execute(Tuple.from(Arrays.asList(planId, data.catalog(), data.image(),
                                    plan.catalogImage().target().toString(), built.id(), built.correlationId(),
                                    plan.mappingTxt(), plan.imageContentSourcePolicy(), plan.imageDigestMirrorSet(),
                                    rejected, n, deadline.toMillis() / 1000.0, EventJson.toJson(artifact),
                                    built.time().atOffset(java.time.ZoneOffset.UTC))))
                            .chain(() -> connection.preparedQuery("INSERT INTO mirror_job (plan_id, source, target,"
                                            + " catalog, catalog_image, state)"
                                            + " SELECT $1, s, t, $2, c, 'PLANNED'"
                                            + " FROM unnest($3::text[], $4::text[], $5::boolean[]) AS j(s, t, c)"
                                            + " ON CONFLICT (plan_id, source) DO NOTHING")
                                    .execute(Tuple.of(planId, data.catalog(), sources, targets, catalogImages)))
                            .chain(() -> reuse(connection, planId, reuseFor))
                            .chain(reused -> SqlOutbox.add(connection, requests.stream()
                                            .filter(r -> !reused.contains(r.data().source())).toList())
                                    .chain(() -> reused.size() < n ? Uni.createFrom().voidItem()
                                            : tracker.completeAll(connection, List.of(planId)).replaceWithVoid())
                                    .replaceWith(new Saved(true, reused.size())));
                }))
                .await().atMost(TIMEOUT);
    }

    /** Marks done, in one statement, every job of the plan whose image an earlier plan mirrored recently enough. */
    private static Uni<Set<String>> reuse(SqlConnection connection, String planId, Duration reuseFor) {
        if (reuseFor.isZero() || reuseFor.isNegative()) {
            return Uni.createFrom().item(Set.of());
        }
        return connection.preparedQuery("WITH reused AS (UPDATE mirror_job j SET state = 'DONE', digest = m.digest,"
                        + " reused_from = m.plan_id, worker = 'reused', finished_at = now()"
                        + " FROM mirrored_image m WHERE j.plan_id = $1 AND j.state = 'PLANNED' AND m.source = j.source"
                        + " AND m.target = j.target AND m.mirrored_at > now() - make_interval(secs => $2)"
                        + " RETURNING j.source)"
                        + " , counted AS (UPDATE mirror_plan SET pending = pending - (SELECT count(*) FROM reused),"
                        + " done = done + (SELECT count(*) FROM reused) WHERE id = $1)"
                        + " SELECT source FROM reused")
                .execute(Tuple.of(planId, reuseFor.toMillis() / 1000.0))
                .map(rows -> {
                    Set<String> reused = new HashSet<>();
                    rows.forEach(row -> reused.add(row.getString("source")));
                    return reused;
                });
    }
}
