package dev.catalogautopilot.rollout.intake;

import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.UnknownEventTypeException;
import dev.catalogautopilot.events.kafka.KafkaCloudEvents;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.outbox.consumer.ConsumerRetry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code catalog.mirrored}: each catalog-mirrored event becomes a persisted rollout in one transaction,
 * and the record is acknowledged once that commits. Other types (such as mirror failures) and types this build
 * does not know are acknowledged and skipped; an undecodable or unusable record goes to the dead-letter topic.
 */
@ApplicationScoped
public class CatalogMirroredConsumer {

    private static final Logger LOG = Logger.getLogger(CatalogMirroredConsumer.class);

    private final RolloutIntake intake;

    @Inject
    ConsumerRetry retry;

    public CatalogMirroredConsumer(RolloutIntake intake) {
        this.intake = intake;
    }

    /** Infrastructure failures are retried in place; only an undecodable or invalid record is dead-lettered. */
    @Incoming("catalog-mirrored")
    public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
        return retry.reactive(record, () -> handle(record));
    }

    Uni<Void> handle(ConsumerRecord<String, byte[]> record) {
        EventEnvelope<?> envelope;
        try {
            envelope = KafkaCloudEvents.fromConsumerRecord(record);
        } catch (UnknownEventTypeException unknown) {
            LOG.infof("skipping %s@%d: unknown event type %s", record.topic(), record.offset(), unknown.getMessage());
            return Uni.createFrom().voidItem();
        } catch (RuntimeException undecodable) {
            return Uni.createFrom().failure(undecodable);
        }
        if (!(envelope.data() instanceof CatalogMirrored)) {
            LOG.debugf("skipping %s event %s", envelope.type(), envelope.id());
            return Uni.createFrom().voidItem();
        }
        return intake.accept(envelope.as(CatalogMirrored.class)).replaceWithVoid();
    }
}
