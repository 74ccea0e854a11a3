package dev.catalogautopilot.mirror.track;

import dev.catalogautopilot.events.mirror.MirrorJobResult;
import dev.catalogautopilot.mirror.IncomingEvents;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** The tracker: reads job outcomes from {@code mirror.results} and completes a plan when its last job reports. */
@ApplicationScoped
public class ResultListener {

    private static final Logger LOG = Logger.getLogger(ResultListener.class);

    private final TrackerStore store;

    public ResultListener(TrackerStore store) {
        this.store = store;
    }

    @Incoming("results")
    @Blocking
    public void onRecord(ConsumerRecord<String, byte[]> record) {
        IncomingEvents.decode(record).filter(event -> event.data() instanceof MirrorJobResult)
                .flatMap(event -> store.record(event.as(MirrorJobResult.class)))
                .ifPresent(c -> LOG.infof("catalog %s: %s (%s)", c.subject(), c.type(), c.id()));
    }
}
