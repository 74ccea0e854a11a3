package dev.catalogautopilot.rollout.rest;

import dev.catalogautopilot.events.rollout.RolloutAction;
import dev.catalogautopilot.outbox.OutboxRelay;
import dev.catalogautopilot.rollout.intake.RedriveResult;
import dev.catalogautopilot.rollout.intake.RolloutIntake;
import dev.catalogautopilot.rollout.run.RolloutDriver;
import dev.catalogautopilot.rollout.state.ActionResult;
import dev.catalogautopilot.rollout.state.ClusterRollout;
import dev.catalogautopilot.rollout.state.ClusterState;
import dev.catalogautopilot.rollout.state.Redrive;
import dev.catalogautopilot.rollout.state.Rollout;
import dev.catalogautopilot.rollout.state.RolloutSnapshot;
import dev.catalogautopilot.rollout.state.RolloutStore;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.common.annotation.Blocking;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Rollouts with their progress, and the operator actions approve, pause, resume and redrive (each needs its role). */
@Path("/rollouts")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class RolloutResource {

    private final RolloutStore store;
    private final RolloutDriver driver;
    private final RolloutIntake intake;
    private final OutboxRelay relay;

    public RolloutResource(RolloutStore store, RolloutDriver driver, RolloutIntake intake, OutboxRelay relay) {
        this.store = store;
        this.driver = driver;
        this.intake = intake;
        this.relay = relay;
    }

    /** The latest 100 rollouts, newest first, optionally of one catalog. */
    @GET
    public List<RolloutView> list(@QueryParam("catalog") String catalog) throws Throwable {
        List<Rollout> rollouts = VertxContextSupport.subscribeAndAwait(() -> store.rollouts(catalog));
        Map<String, List<ClusterRollout>> clusters = VertxContextSupport.subscribeAndAwait(
                        () -> store.clusters(rollouts.stream().map(r -> r.id).toList())).stream()
                .collect(Collectors.groupingBy(c -> c.rolloutId));
        return rollouts.stream().map(r -> view(r, clusters.getOrDefault(r.id, List.of()), null)).toList();
    }

    @GET
    @Path("/{id}")
    public RolloutView get(@PathParam("id") String id) throws Throwable {
        RolloutSnapshot snapshot = VertxContextSupport.subscribeAndAwait(() -> store.snapshot(id));
        if (snapshot == null) {
            throw new NotFoundException("no rollout " + id);
        }
        List<RolloutView.WaveDetail> waves = snapshot.waves().stream().map(w -> new RolloutView.WaveDetail(
                w.waveIndex, w.name, w.status.name(), w.requiresApproval, w.approved, w.maxParallel, w.deadline(),
                w.soak(), w.startedAt, w.completedAt, snapshot.clustersOf(w.waveIndex).stream()
                        .map(c -> new RolloutView.ClusterDetail(c.cluster, c.state.name(),
                                c.phase == null ? null : c.phase.name(), c.previousImage,
                                c.mirrorSet == null ? null : c.mirrorSet.name(), c.startedAt, c.finishedAt, c.reason))
                        .toList())).toList();
        return view(snapshot.rollout(), snapshot.clusters(), waves);
    }

    /**
     * {@code approve}, {@code pause} or {@code resume}; the caller needs the role of the same name. Answers 202 with
     * the recorded event's id, 200 for a repeated request id, 404 for an unknown rollout, 409 when not applicable.
     */
    @POST
    @Path("/{id}/{action:approve|pause|resume}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authenticated
    public Response act(@PathParam("id") String id, @PathParam("action") String action, ActionRequest request,
            @Context SecurityContext security) throws Throwable {
        if (!security.isUserInRole(action)) {
            return forbidden(action);
        }
        return act(id, RolloutAction.valueOf(action.toUpperCase(java.util.Locale.ROOT)), request, security);
    }

    /**
     * Rolls a catalog out again, fleet-wide, from an earlier catalog-mirrored event (role {@code redrive}), e.g.
     * back to an earlier build: a new rollout in a new run whose cause is that event. Answers 202 with the new
     * rollout, 200 for a repeated request id, 400 for an incomplete body, 404 for an event this service never
     * consumed, 409 for an event of another catalog.
     */
    @POST
    @Path("/redrive")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authenticated
    public Response redrive(RedriveRequest request, @Context SecurityContext security) throws Throwable {
        if (!security.isUserInRole("redrive")) {
            return forbidden("redrive");
        }
        String problem = request == null ? "a body with catalog and eventId is required" : request.problem();
        if (problem != null) {
            return Response.status(Response.Status.BAD_REQUEST).entity(Map.of("error", problem)).build();
        }
        String actor = security.getUserPrincipal().getName();
        String reason = request.reason() == null || request.reason().isBlank() ? null : request.reason().strip();
        RedriveResult result = VertxContextSupport.subscribeAndAwait(() -> intake.redrive(request.catalog(),
                request.eventId(), actor, reason, requestId(request.requestId())));
        return switch (result.outcome()) {
            case RECORDED -> {
                relay.publishPending();
                yield Response.accepted(redriven(result.redrive())).build();
            }
            case REPEATED -> Response.ok(redriven(result.redrive())).build();
            case NOT_FOUND -> Response.status(Response.Status.NOT_FOUND).entity(Map.of("error", result.message()))
                    .build();
            case CONFLICT -> Response.status(Response.Status.CONFLICT).entity(Map.of("error", result.message()))
                    .build();
        };
    }

    private static Map<String, String> redriven(Redrive redrive) {
        return Map.of("action", RolloutAction.REDRIVE.name(), "rolloutId", redrive.rolloutId(),
                "correlationId", redrive.correlationId(), "eventId", redrive.actionEventId(),
                "replays", redrive.replayedEvent());
    }

    private static Response forbidden(String role) {
        return Response.status(Response.Status.FORBIDDEN).entity(Map.of("error", "the " + role + " role is needed"))
                .build();
    }

    private static String requestId(String given) {
        return given != null && !given.isBlank() ? given : UUID.randomUUID().toString();
    }

    private Response act(String id, RolloutAction action, ActionRequest request, SecurityContext security)
            throws Throwable {
        ActionRequest body = request == null ? new ActionRequest(null, null) : request;
        String actor = security.getUserPrincipal().getName();
        String requestId = requestId(body.requestId());
        ActionResult result = VertxContextSupport.subscribeAndAwait(
                () -> store.act(id, action, body.wave(), actor, requestId));
        return switch (result.outcome()) {
            case RECORDED -> {
                relay.publishPending();
                driver.requestPass();
                yield Response.accepted(Map.of("eventId", result.eventId(), "action", action.name())).build();
            }
            case REPEATED -> Response.ok(Map.of("eventId", result.eventId(), "action", action.name())).build();
            case NOT_FOUND -> Response.status(Response.Status.NOT_FOUND).entity(Map.of("error", result.message()))
                    .build();
            case CONFLICT -> Response.status(Response.Status.CONFLICT).entity(Map.of("error", result.message()))
                    .build();
        };
    }

    private static RolloutView view(Rollout rollout, List<ClusterRollout> clusters,
            List<RolloutView.WaveDetail> waves) {
        RolloutView.Progress progress = new RolloutView.Progress(clusters.size(),
                count(clusters, ClusterState.UPDATED), count(clusters, ClusterState.IN_PROGRESS),
                count(clusters, ClusterState.PENDING),
                count(clusters, ClusterState.ROLLED_BACK) + count(clusters, ClusterState.FAILED),
                count(clusters, ClusterState.CANCELLED));
        return new RolloutView(rollout.id, rollout.catalog, rollout.image, rollout.status.name(), rollout.paused,
                rollout.supersedes, rollout.supersededBy, rollout.mirroredEventId, rollout.createdAt,
                rollout.finishedAt, progress, waves);
    }

    private static int count(List<ClusterRollout> clusters, ClusterState state) {
        return (int) clusters.stream().filter(c -> c.state == state).count();
    }
}
