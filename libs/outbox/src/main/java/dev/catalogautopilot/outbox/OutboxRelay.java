package dev.catalogautopilot.outbox;

import dev.catalogautopilot.events.EventChain;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes committed outbox events to Kafka in commit order, then marks them published. A crash between the two
 * publishes the event again with the same CloudEvents id; consumers deduplicate on that id.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 200;

    private final ReentrantLock running = new ReentrantLock();

    @Inject
    PublisherLock publisher;

    @Inject
    @Channel("outbox")
    MutinyEmitter<String> emitter;

    /** A safety net: producers also call {@link #publishPending()} right after committing. */
    @Scheduled(every = "${outbox.interval:1s}", delayed = "${outbox.initial-delay:3s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            publishPending();
        } catch (RuntimeException e) {
            LOG.warnf("outbox relay will retry: %s", e.getMessage());
        }
    }

    /** Publishes everything pending; returns how many events went out. */
    public int publishPending() {
        if (!running.tryLock()) {
            return 0;
        }
        if (!publisher.held()) {
            running.unlock();
            return 0; // another instance of this service publishes
        }
        try {
            int total = 0;
            while (true) {
                List<OutboxEvent> batch = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() ->
                        OutboxEvent.<OutboxEvent>find("publishedAt is null order by seq").page(0, BATCH).list()));
                if (batch.isEmpty()) {
                    return total;
                }
                List<Long> sent = new ArrayList<>();
                try {
                    for (OutboxEvent event : batch) {
                        emitter.sendMessage(toMessage(event)).await().atMost(Duration.ofSeconds(60));
                        sent.add(event.seq);
                    }
                } finally {
                    markPublished(sent);
                }
                total += sent.size();
            }
        } catch (Throwable e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        } finally {
            running.unlock();
        }
    }

    private static void markPublished(List<Long> seqs) throws Throwable {
        if (seqs.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() ->
                OutboxEvent.update("publishedAt = ?1 where seq in ?2", now, seqs)));
    }

    private static java.util.Map<String, Object> extensions(OutboxEvent event) {
        java.util.Map<String, Object> extensions = new java.util.LinkedHashMap<>();
        extensions.put("correlationid", event.correlationId);
        if (event.causationId != null) {
            extensions.put("causationid", event.causationId);
        }
        extensions.put(EventChain.HASH, event.chainHash);
        if (event.chainPrevious != null) {
            extensions.put(EventChain.PREVIOUS, event.chainPrevious);
        }
        return extensions;
    }

    private static Message<String> toMessage(OutboxEvent event) {
        OutgoingCloudEventMetadata<String> ce = OutgoingCloudEventMetadata.<String>builder()
                .withId(event.id)
                .withSource(URI.create(event.source))
                .withType(event.type)
                .withSubject(event.subject)
                .withTimestamp(event.time.atZone(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withExtensions(extensions(event))
                .build();
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(event.topic)
                .withKey(event.key)
                .build();
        return Message.of(event.payload).addMetadata(ce).addMetadata(kafka);
    }
}
