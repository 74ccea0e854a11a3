package dev.catalogautopilot.outbox;

import dev.catalogautopilot.events.EventChain;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventSizeLimit;
import io.quarkus.hibernate.reactive.panache.Panache;
import java.nio.charset.StandardCharsets;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Adds events to the outbox inside the caller's Hibernate Reactive transaction; {@link OutboxRelay} publishes them
 * once that transaction has committed.
 */
@ApplicationScoped
public class Outbox {

    /**
     * Adds the event to the caller's transaction; fails with
     * {@link dev.catalogautopilot.events.EventSizeLimit.EventTooLargeException} for data over 1 MiB, which Kafka
     * would refuse after the transaction had committed.
     */
    public Uni<OutboxEvent> add(EventEnvelope<?> envelope) {
        OutboxEvent row = OutboxEvent.of(envelope);
        byte[] payload = row.payload.getBytes(StandardCharsets.UTF_8);
        try {
            EventSizeLimit.check(row.type, row.id, payload.length);
        } catch (EventSizeLimit.EventTooLargeException tooLarge) {
            return Uni.createFrom().failure(tooLarge);
        }
        // One chain per catalog: serialise writers of the same catalog until this transaction ends.
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(:subject))")
                        .setParameter("subject", row.subject).getSingleResult())
                .chain(() -> OutboxEvent.<OutboxEvent>find("subject = ?1 order by seq desc", row.subject).<OutboxEvent>firstResult())
                .chain(previous -> {
                    row.chainPrevious = previous == null ? null : previous.id;
                    row.chainHash = EventChain.hash(previous == null ? null : previous.chainHash, row.id, row.type,
                            row.source, row.subject, row.time, row.correlationId, row.causationId,
                            payload);
                    return row.persist();
                });
    }

    /**
     * Adds the event unless one with the same id is already there: with deterministic ids, re-processing the same
     * input yields the same event, which must not be published twice.
     */
    public Uni<Boolean> addOnce(EventEnvelope<?> envelope) {
        return OutboxEvent.count("id", envelope.id()).chain(n -> n > 0
                ? Uni.createFrom().item(false)
                : add(envelope).replaceWith(true));
    }
}
