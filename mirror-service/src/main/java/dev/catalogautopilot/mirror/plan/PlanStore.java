package dev.catalogautopilot.mirror.plan;

import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventJson;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.mirror.CatalogMirrorFailed;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import dev.catalogautopilot.mirror.outbox.SqlOutbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Persists a plan, its job rows and its job requests in one transaction with the build event's id, so a
 * redelivered build event plans nothing twice and a crash loses nothing.
 */
@ApplicationScoped
public class PlanStore {

    static final String CONSUMER = "mirror-planner";

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Pool pool;
    private final Clock clock = Clock.systemUTC();

    public PlanStore(Pool pool) {
        this.pool = pool;
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

    /** Stores the plan; false when this build event was already planned. */
    public boolean save(EventEnvelope<CatalogBuilt> built, String planId, MirrorPlan plan, PlanArtifact artifact,
                        List<EventEnvelope<MirrorJobRequested>> requests, Duration deadline) {
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
                        return Uni.createFrom().item(false);
                    }
                    return connection.preparedQuery("INSERT INTO mirror_plan (id, catalog, source_catalog_image,"
                                    + " catalog_target, cause_event_id, correlation_id, mapping, icsp, idms, rejected,"
                                    + " images, pending, state, created_at, deadline_at, artifact)"
                                    + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, 'RUNNING', now(),"
                                    + " now() + make_interval(secs => $12), $13)")
                            .execute(Tuple.from(Arrays.asList(planId, data.catalog(), data.image(),
                                    plan.catalogImage().target().toString(), built.id(), built.correlationId(),
                                    plan.mappingTxt(), plan.imageContentSourcePolicy(), plan.imageDigestMirrorSet(),
                                    rejected, n, deadline.toMillis() / 1000.0, EventJson.toJson(artifact))))
                            .chain(() -> connection.preparedQuery("INSERT INTO mirror_job (plan_id, source, target,"
                                            + " catalog, catalog_image, state)"
                                            + " SELECT $1, s, t, $2, c, 'PLANNED'"
                                            + " FROM unnest($3::text[], $4::text[], $5::boolean[]) AS j(s, t, c)"
                                            + " ON CONFLICT (plan_id, source) DO NOTHING")
                                    .execute(Tuple.of(planId, data.catalog(), sources, targets, catalogImages)))
                            .chain(() -> SqlOutbox.add(connection, requests))
                            .replaceWith(true);
                }))
                .await().atMost(TIMEOUT);
    }
}
