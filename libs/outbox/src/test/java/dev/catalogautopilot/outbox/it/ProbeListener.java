package dev.catalogautopilot.outbox.it;

import dev.catalogautopilot.events.EventDecodingException;
import dev.catalogautopilot.outbox.ProcessedEvents;
import dev.catalogautopilot.outbox.consumer.ConsumerRetry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * A listener shaped like the services' ones: "probe:ID" records a row for ID once, in one transaction with the
 * processed-event guard; anything else is undecodable.
 */
@ApplicationScoped
public class ProbeListener {

    @Inject
    ConsumerRetry retry;

    @Inject
    ProcessedEvents processed;

    @Incoming("probe")
    public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
        return retry.reactive(record, () -> handle(record));
    }

    Uni<Void> handle(ConsumerRecord<String, byte[]> record) {
        String value = new String(record.value(), StandardCharsets.UTF_8);
        if (!value.startsWith("probe:")) {
            return Uni.createFrom().failure(new EventDecodingException("not a probe: " + value));
        }
        String id = value.substring("probe:".length());
        return Panache.withTransaction(() -> processed.firstTime("probe", id).chain(first -> first
                ? Panache.getSession().chain(s -> s.createNativeQuery("INSERT INTO probe_row (id) VALUES (:id)")
                        .setParameter("id", id).executeUpdate())
                : Uni.createFrom().item(0))).replaceWithVoid();
    }
}
