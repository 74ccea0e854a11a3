package dev.catalogautopilot.rollout.rest;

import dev.catalogautopilot.rollout.fleet.ClusterDefinition;
import dev.catalogautopilot.rollout.fleet.Fleet;
import dev.catalogautopilot.rollout.state.FleetCell;
import dev.catalogautopilot.rollout.state.FleetChange;
import dev.catalogautopilot.rollout.state.RolloutStore;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** The fleet matrix (clusters by catalogs) and the history of each cell. */
@Path("/fleet")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class FleetResource {

    private final Fleet fleet;
    private final RolloutStore store;

    public FleetResource(Fleet fleet, RolloutStore store) {
        this.fleet = fleet;
        this.store = store;
    }

    @GET
    public FleetMatrix matrix() throws Throwable {
        List<FleetCell> cells = VertxContextSupport.subscribeAndAwait(store::fleet);
        Map<String, Map<String, FleetMatrix.Cell>> byCluster = new TreeMap<>();
        fleet.clusters().forEach(c -> byCluster.put(c.name(), new TreeMap<>()));
        TreeSet<String> catalogs = new TreeSet<>();
        for (FleetCell cell : cells) {
            catalogs.add(cell.catalog);
            byCluster.computeIfAbsent(cell.cluster, c -> new TreeMap<>()).put(cell.catalog, new FleetMatrix.Cell(
                    cell.image, cell.digest, cell.state.name(), cell.since, cell.causeEventId, cell.rolloutId,
                    cell.updatedAt));
        }
        List<FleetMatrix.ClusterRow> rows = new ArrayList<>();
        byCluster.forEach((name, row) -> rows.add(new FleetMatrix.ClusterRow(name,
                fleet.contains(name) ? fleet.cluster(name).labels() : Map.of(), row)));
        return new FleetMatrix(List.copyOf(catalogs), rows);
    }

    /** One change of a cell. */
    public record Change(String image, String previousImage, String state, Instant at, String causedBy,
            String rolloutId, String reason) {
    }

    @GET
    @Path("/{cluster}/{catalog}/history")
    public List<Change> history(@PathParam("cluster") String cluster, @PathParam("catalog") String catalog)
            throws Throwable {
        List<FleetChange> changes = VertxContextSupport.subscribeAndAwait(() -> store.history(cluster, catalog));
        return changes.stream().map(c -> new Change(c.image, c.previousImage, c.state.name(), c.at, c.causeEventId,
                c.rolloutId, c.reason)).toList();
    }

    /** The configured clusters and their labels. */
    @GET
    @Path("/clusters")
    public Map<String, Map<String, String>> clusters() {
        Map<String, Map<String, String>> clusters = new LinkedHashMap<>();
        fleet.clusters().stream().map(ClusterDefinition::name).sorted()
                .forEach(name -> clusters.put(name, fleet.cluster(name).labels()));
        return clusters;
    }
}
