package dev.catalogautopilot.builder.build;

import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.UnknownEventTypeException;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.kafka.KafkaCloudEvents;
import dev.catalogautopilot.outbox.consumer.ConsumerRetry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Turns each {@code catalog.changed.v1} event into a queued build job and acknowledges it at once; the build runs
 * later from {@link BuildRunner}. Watch failures and unknown types are skipped; a record that cannot be decoded
 * fails and goes to the dead-letter topic.
 */
@ApplicationScoped
public class ChangeListener {

    private static final Logger LOG = Logger.getLogger(ChangeListener.class);

    private final BuildStore store;

    @Inject
    ConsumerRetry retry;

    public ChangeListener(BuildStore store) {
        this.store = store;
    }

    /** Infrastructure failures are retried in place; only an undecodable or invalid record is dead-lettered. */
    @Incoming("catalog-changes")
    public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
        return retry.reactive(record, () -> handle(record));
    }

    Uni<Void> handle(ConsumerRecord<String, byte[]> record) {
        EventEnvelope<?> envelope;
        try {
            envelope = KafkaCloudEvents.fromConsumerRecord(record);
        } catch (UnknownEventTypeException e) {
            LOG.debugf("skipping an event of unknown type at offset %d: %s", record.offset(), e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (!(envelope.data() instanceof CatalogChanged)) {
            return Uni.createFrom().voidItem();
        }
        EventEnvelope<CatalogChanged> change = envelope.as(CatalogChanged.class);
        return store.enqueue(change, Instant.now()).invoke(queued -> {
            if (queued) {
                LOG.infof("catalog %s: change %s at revision %s queued", change.subject(), change.id(),
                        change.data().revision());
            } else {
                LOG.infof("catalog %s: change %s was already received; ignored", change.subject(), change.id());
            }
        }).replaceWithVoid();
    }
}
