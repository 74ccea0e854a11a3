package dev.catalogautopilot.builder.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.builder.build.BuildJob;
import dev.catalogautopilot.builder.build.BuildStore;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Recent builds with their outcome, newest first: {@code GET /builds} and {@code GET /builds/{catalog}}. */
@Path("/builds")
@Produces(MediaType.APPLICATION_JSON)
public class BuildResource {

    private static final int MAX_LIMIT = 500;

    private final BuildStore store;
    private final ObjectMapper json = new ObjectMapper();

    public BuildResource(BuildStore store) {
        this.store = store;
    }

    @GET
    public Uni<List<BuildView>> all(@QueryParam("limit") @DefaultValue("50") int limit) {
        return store.recent(null, Math.max(1, Math.min(limit, MAX_LIMIT))).map(this::views);
    }

    @GET
    @Path("/{catalog}")
    public Uni<List<BuildView>> ofCatalog(@PathParam("catalog") String catalog,
            @QueryParam("limit") @DefaultValue("20") int limit) {
        return store.recent(catalog, Math.max(1, Math.min(limit, MAX_LIMIT))).map(this::views);
    }

    private List<BuildView> views(List<BuildJob> jobs) {
        return jobs.stream().map(job -> BuildView.of(job, outcome(job))).toList();
    }

    private JsonNode outcome(BuildJob job) {
        try {
            return job.result == null ? null : json.readTree(job.result);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
