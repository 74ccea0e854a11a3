package dev.catalogautopilot.watcher.rest;

import dev.catalogautopilot.watcher.config.WatcherConfig;
import dev.catalogautopilot.outbox.OutboxRelay;
import dev.catalogautopilot.watcher.source.UpstreamSource;
import dev.catalogautopilot.watcher.source.UpstreamSources;
import dev.catalogautopilot.watcher.state.CatalogStateStore;
import dev.catalogautopilot.watcher.state.WatchedCatalog;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Status of every watched catalog, and the manual rebuild trigger. */
@Path("/catalogs")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class CatalogResource {

    private final WatcherConfig config;
    private final UpstreamSources sources;
    private final CatalogStateStore store;
    private final OutboxRelay relay;

    public CatalogResource(WatcherConfig config, UpstreamSources sources, CatalogStateStore store, OutboxRelay relay) {
        this.config = config;
        this.sources = sources;
        this.store = store;
        this.relay = relay;
    }

    @GET
    public List<CatalogStatus> list() throws Throwable {
        Map<String, WatchedCatalog> known = VertxContextSupport.subscribeAndAwait(store::all).stream()
                .collect(Collectors.toMap(c -> c.name, Function.identity()));
        return config.catalogs().keySet().stream().sorted().map(name -> status(name, known.get(name))).toList();
    }

    @GET
    @Path("/{name}")
    public CatalogStatus get(@PathParam("name") String name) throws Throwable {
        requireWatched(name);
        return status(name, VertxContextSupport.subscribeAndAwait(() -> store.find(name)).orElse(null));
    }

    /** Emits a change event marked manual at the catalog's current revision, forcing a rebuild downstream. */
    @POST
    @Path("/{name}/trigger")
    @RolesAllowed("trigger")
    public Response trigger(@PathParam("name") String name, @Context SecurityContext security) throws Throwable {
        requireWatched(name);
        UpstreamSource source = sources.get(name);
        String actor = security.getUserPrincipal().getName();
        Optional<String> eventId = VertxContextSupport.subscribeAndAwait(
                () -> store.recordManualTrigger(name, source, actor, Instant.now()));
        if (eventId.isEmpty()) {
            return Response.status(Response.Status.CONFLICT)
                    .entity(Map.of("error", "catalog " + name + " has not been polled successfully yet")).build();
        }
        relay.publishPending();
        return Response.accepted(Map.of("eventId", eventId.get())).build();
    }

    private void requireWatched(String name) {
        if (!sources.contains(name)) {
            throw new NotFoundException("no watched catalog named " + name);
        }
    }

    private CatalogStatus status(String name, WatchedCatalog state) {
        UpstreamSource source = sources.get(name);
        var snapshot = state == null ? null : store.snapshot(state);
        Integer packages = snapshot == null || snapshot.indexDigest() != null ? null : snapshot.packages().size();
        return new CatalogStatus(name, source.kind().name(), source.location(),
                config.catalogs().get(name).pollInterval(),
                state == null ? null : state.lastPollAt,
                state == null ? null : state.lastSuccessAt,
                state == null ? null : state.lastChangeAt,
                state == null ? null : state.revision,
                packages,
                state == null ? null : state.lastError,
                state == null ? null : state.lastErrorAt,
                state == null ? 0 : state.consecutiveFailures);
    }
}
