package dev.catalogautopilot.outbox;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Makes consumers idempotent: inside the transaction that handles an event, {@link #firstTime} records its id and
 * tells whether it was new. A redelivered event finds its id and is skipped; two racing deliveries collide on the
 * primary key and one transaction rolls back.
 */
@ApplicationScoped
public class ProcessedEvents {

    public Uni<Boolean> firstTime(String consumer, String eventId) {
        String id = consumer + "/" + eventId;
        return ProcessedEvent.<ProcessedEvent>findById(id).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(false);
            }
            ProcessedEvent row = new ProcessedEvent();
            row.id = id;
            row.consumer = consumer;
            row.eventId = eventId;
            row.processedAt = Instant.now();
            return row.persist().replaceWith(true);
        });
    }

    public Uni<Boolean> seen(String consumer, String eventId) {
        return ProcessedEvent.<ProcessedEvent>findById(consumer + "/" + eventId).map(e -> e != null);
    }
}
