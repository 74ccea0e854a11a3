package dev.catalogautopilot.mirror.plan;

import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import dev.catalogautopilot.mirror.outbox.SqlOutbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
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

    private final Pool pool;

    public PlanStore(Pool pool) {
        this.pool = pool;
    }

    /** Stores the plan; false when this build event was already planned. */
    public boolean save(EventEnvelope<CatalogBuilt> built, String planId, MirrorPlan plan,
                        List<EventEnvelope<MirrorJobRequested>> requests) {
        CatalogBuilt data = built.data();
        String rejected = plan.rejected().stream().map(r -> r.reference() + "\t" + r.reason())
                .collect(Collectors.joining("\n"));
        List<Tuple> jobs = plan.images().stream().map(image -> Tuple.of(planId, image.source().toString(),
                image.target().toString(), data.catalog(), image.catalogImage())).toList();
        return pool.withTransaction(connection -> SqlOutbox.firstTime(connection, CONSUMER, built.id())
                .chain(first -> {
                    if (!first) {
                        return Uni.createFrom().item(false);
                    }
                    return connection.preparedQuery("INSERT INTO mirror_plan (id, catalog, source_catalog_image,"
                                    + " catalog_target, cause_event_id, correlation_id, mapping, icsp, idms, rejected,"
                                    + " images, state, created_at)"
                                    + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'RUNNING', now())")
                            .execute(Tuple.from(Arrays.asList(planId, data.catalog(), data.image(),
                                    plan.catalogImage().target().toString(), built.id(), built.correlationId(),
                                    plan.mappingTxt(), plan.imageContentSourcePolicy(), plan.imageDigestMirrorSet(),
                                    rejected, plan.images().size())))
                            .chain(() -> connection.preparedQuery("INSERT INTO mirror_job (plan_id, source, target,"
                                            + " catalog, catalog_image, state) VALUES ($1, $2, $3, $4, $5, 'PLANNED')"
                                            + " ON CONFLICT (plan_id, source) DO NOTHING")
                                    .executeBatch(jobs))
                            .chain(() -> SqlOutbox.add(connection, requests))
                            .replaceWith(true);
                }))
                .await().atMost(Duration.ofSeconds(60));
    }
}
