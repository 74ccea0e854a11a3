package dev.catalogautopilot.outbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.time.Instant;

/**
 * The outbox's backlog at {@code takenAt}: events waiting to be published, the time of the oldest of them (null when
 * none) and events parked.
 */
public record OutboxBacklog(long pending, Instant oldestPending, long parked, Instant takenAt) {

    static final OutboxBacklog EMPTY = new OutboxBacklog(0, null, 0, null);

    /** Two aggregate queries on the partial indexes over unpublished and parked rows. */
    static Uni<OutboxBacklog> read(Instant now) {
        return Panache.withSession(() -> Panache.getSession()
                .chain(session -> session.createQuery("select count(*), min(e.time) from OutboxEvent e "
                        + "where e.publishedAt is null and e.parkedAt is null", Object[].class).getSingleResult())
                .chain(pending -> OutboxEvent.count("parkedAt is not null").map(parked ->
                        new OutboxBacklog(((Number) pending[0]).longValue(), (Instant) pending[1], parked, now))));
    }
}
