package dev.catalogautopilot.outbox;

import dev.catalogautopilot.events.EventEnvelope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Adds events to the outbox inside the caller's Hibernate Reactive transaction; {@link OutboxRelay} publishes them
 * once that transaction has committed.
 */
@ApplicationScoped
public class Outbox {

    public Uni<OutboxEvent> add(EventEnvelope<?> envelope) {
        return OutboxEvent.of(envelope).persist();
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
