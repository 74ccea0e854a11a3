package dev.catalogautopilot.mirror;

import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.UnknownEventTypeException;
import dev.catalogautopilot.events.kafka.KafkaCloudEvents;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Decodes a consumed record for the service's listeners: an event of a type this build does not know is logged
 * and skipped (empty); a malformed record throws {@code EventDecodingException}, which nacks it to the
 * dead-letter topic.
 */
public final class IncomingEvents {

    private static final Logger LOG = Logger.getLogger(IncomingEvents.class);

    private IncomingEvents() {
    }

    public static Optional<EventEnvelope<?>> decode(ConsumerRecord<String, byte[]> record) {
        try {
            return Optional.of(KafkaCloudEvents.fromConsumerRecord(record));
        } catch (UnknownEventTypeException e) {
            LOG.debugf("skipping unknown event type on %s: %s", record.topic(), e.getMessage());
            return Optional.empty();
        }
    }
}
