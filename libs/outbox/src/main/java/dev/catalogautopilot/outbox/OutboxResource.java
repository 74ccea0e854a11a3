package dev.catalogautopilot.outbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/**
 * The outbox as every service shows it: {@code GET /outbox/status} (backlog and lag) and
 * {@code GET /outbox/parked} (events Kafka refused for good, newest first, with the reason).
 */
@Path("/outbox")
@Produces(MediaType.APPLICATION_JSON)
public class OutboxResource {

    private static final int MAX_LIMIT = 1000;

    private final OutboxMetrics metrics;

    public OutboxResource(OutboxMetrics metrics) {
        this.metrics = metrics;
    }

    @GET
    @Path("/status")
    public Uni<OutboxBacklog> status() {
        return OutboxBacklog.read(Instant.now()).invoke(snapshot -> metrics.backlog(snapshot));
    }

    @GET
    @Path("/parked")
    public Uni<List<ParkedEvent>> parked(@QueryParam("limit") @DefaultValue("100") int limit) {
        int bounded = Math.max(1, Math.min(limit, MAX_LIMIT));
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createQuery(
                "select e.id, e.type, e.topic, e.subject, octet_length(e.payload), e.time, e.parkedAt, e.parkReason"
                        + " from OutboxEvent e where e.parkedAt is not null order by e.parkedAt desc, e.seq desc",
                Object[].class).setMaxResults(bounded).getResultList()))
                .map(rows -> rows.stream().map(r -> new ParkedEvent((String) r[0], (String) r[1], (String) r[2],
                        (String) r[3], ((Number) r[4]).longValue(), (Instant) r[5], (Instant) r[6], (String) r[7]))
                        .toList());
    }
}
