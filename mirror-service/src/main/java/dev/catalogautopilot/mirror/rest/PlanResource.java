package dev.catalogautopilot.mirror.rest;

import io.smallrye.common.annotation.Blocking;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Mirror progress per build (plan), each plan's images, and its mapping.txt and mirror sets. */
@Path("/plans")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class PlanResource {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The plan's own counters, kept by the transactions that finish its jobs: no scan of its jobs. */
    private static final String PROGRESS = "SELECT p.id, p.catalog, p.source_catalog_image, p.state, p.images,"
            + " p.rejected, p.created_at, p.completed_at, p.done, p.failed, p.bytes_copied AS bytes"
            + " FROM mirror_plan p";

    private final Pool pool;

    public PlanResource(Pool pool) {
        this.pool = pool;
    }

    /** Every plan, newest first; {@code ?catalog=} narrows to one catalog. */
    @GET
    public List<PlanProgress> list(@QueryParam("catalog") String catalog) {
        RowSet<Row> rows = catalog == null
                ? query(PROGRESS + " ORDER BY p.created_at DESC LIMIT 200", Tuple.tuple())
                : query(PROGRESS + " WHERE p.catalog = $1 ORDER BY p.created_at DESC LIMIT 200",
                Tuple.of(catalog));
        List<PlanProgress> plans = new ArrayList<>();
        rows.forEach(row -> plans.add(progress(row)));
        return plans;
    }

    @GET
    @Path("/{planId}")
    public PlanProgress get(@PathParam("planId") String planId) {
        RowSet<Row> rows = query(PROGRESS + " WHERE p.id = $1", Tuple.of(planId));
        if (rows.rowCount() == 0) {
            throw new NotFoundException("no plan " + planId);
        }
        return progress(rows.iterator().next());
    }

    @GET
    @Path("/{planId}/jobs")
    public List<JobView> jobs(@PathParam("planId") String planId) {
        get(planId);
        List<JobView> jobs = new ArrayList<>();
        query("SELECT * FROM mirror_job WHERE plan_id = $1 ORDER BY source", Tuple.of(planId)).forEach(row ->
                jobs.add(new JobView(row.getString("source"), row.getString("target"), row.getString("state"),
                        row.getInteger("attempts"), row.getString("worker"), row.getString("digest"),
                        row.getString("error"), row.getLong("bytes_copied"), row.getInteger("blobs_copied"),
                        row.getInteger("blobs_skipped"), row.getInteger("blobs_mounted"), row.getInteger("manifests"),
                        row.getLong("duration_ms"))));
        return jobs;
    }

    @GET
    @Path("/{planId}/mapping.txt")
    @Produces(MediaType.TEXT_PLAIN)
    public String mapping(@PathParam("planId") String planId) {
        return column(planId, "mapping");
    }

    @GET
    @Path("/{planId}/imageContentSourcePolicy.yaml")
    @Produces("application/yaml")
    public String imageContentSourcePolicy(@PathParam("planId") String planId) {
        return column(planId, "icsp");
    }

    @GET
    @Path("/{planId}/imageDigestMirrorSet.yaml")
    @Produces("application/yaml")
    public String imageDigestMirrorSet(@PathParam("planId") String planId) {
        return column(planId, "idms");
    }

    private String column(String planId, String column) {
        RowSet<Row> rows = query("SELECT " + column + " FROM mirror_plan WHERE id = $1", Tuple.of(planId));
        if (rows.rowCount() == 0) {
            throw new NotFoundException("no plan " + planId);
        }
        return rows.iterator().next().getString(column);
    }

    private RowSet<Row> query(String sql, Tuple arguments) {
        return pool.preparedQuery(sql).execute(arguments).await().atMost(TIMEOUT);
    }

    private static PlanProgress progress(Row row) {
        int images = row.getInteger("images");
        int done = row.getInteger("done");
        int failed = row.getInteger("failed");
        String rejected = row.getString("rejected");
        return new PlanProgress(row.getString("id"), row.getString("catalog"), row.getString("source_catalog_image"),
                row.getString("state"), images, done, failed, images - done - failed,
                row.getLong("bytes"),
                rejected == null || rejected.isEmpty() ? List.of() : Arrays.asList(rejected.split("\n")),
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("completed_at"));
    }
}
