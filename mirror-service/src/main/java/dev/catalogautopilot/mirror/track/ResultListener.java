package dev.catalogautopilot.mirror.track;

import dev.catalogautopilot.events.mirror.MirrorJobResult;
import dev.catalogautopilot.mirror.IncomingEvents;
import dev.catalogautopilot.outbox.consumer.ConsumerRetry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** The tracker: reads job outcomes from {@code mirror.results} and completes a plan when its last job reports. */
@ApplicationScoped
public class ResultListener {

    private static final Logger LOG = Logger.getLogger(ResultListener.class);

    private final TrackerStore store;

    @Inject
    ConsumerRetry retry;

    public ResultListener(TrackerStore store) {
        this.store = store;
    }

    /**
     * Runs on a worker thread; infrastructure failures are retried in place, and only an undecodable or invalid
     * record is dead-lettered.
     */
    @Incoming("results")
    public Uni<Void> onRecord(ConsumerRecord<String, byte[]> record) {
        return retry.blocking(record, () -> handle(record));
    }

    void handle(ConsumerRecord<String, byte[]> record) {
        IncomingEvents.decode(record).filter(event -> event.data() instanceof MirrorJobResult)
                .flatMap(event -> store.record(event.as(MirrorJobResult.class)))
                .ifPresent(c -> LOG.infof("catalog %s: %s (%s)", c.subject(), c.type(), c.id()));
    }
}
