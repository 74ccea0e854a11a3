package dev.catalogautopilot.outbox;

import dev.catalogautopilot.events.EventChain;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes committed outbox events to Kafka in commit order, then marks them published. A crash between the two
 * publishes the event again with the same CloudEvents id; consumers deduplicate on that id.
 *
 * <p>A batch is sent without waiting for each acknowledgement: the idempotent producer keeps the order within a
 * partition, and fails the later records of a partition with an earlier one. An event Kafka refuses for good
 * ({@link PublishFailures}) is parked with its reason and later events flow on; any other failure stops the pass and
 * the relay tries again, oldest event first, after a backoff ({@code outbox.retry-initial} doubling up to
 * {@code outbox.retry-max}). A send Kafka has not answered within {@code outbox.send-timeout} (the broker is down)
 * also ends the pass, but is not sent again: later passes wait for its answer.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 200;
    private static final int MAX_REASON = 2000;

    private final ReentrantLock running = new ReentrantLock();
    private final Clock clock = Clock.systemUTC();

    @Inject
    PublisherLock publisher;

    @Inject
    @Channel("outbox")
    MutinyEmitter<String> emitter;

    @Inject
    OutboxConfig config;

    @Inject
    OutboxMetrics metrics;

    /** Sends Kafka has not answered yet, by outbox seq, at most one batch of them; guarded by {@link #running}. */
    private final Map<Long, CompletableFuture<Void>> unanswered = new HashMap<>();
    /** Consecutive passes that ended in a retriable failure; guarded by {@link #running}. */
    private int failures;
    private Instant retryAt = Instant.MIN;

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

    /**
     * Publishes everything pending and parks what Kafka refuses for good; returns how many events went out. After a
     * retriable failure it returns early, and does nothing until the backoff has passed.
     */
    public int publishPending() {
        if (!running.tryLock()) {
            return 0;
        }
        try {
            if (clock.instant().isBefore(retryAt) || !publisher.held()) {
                return 0; // backing off, or another instance of this service publishes
            }
            int total = 0;
            try {
                while (true) {
                    List<OutboxEvent> batch = ReactiveWork.await(() -> Panache.withSession(() ->
                            OutboxEvent.<OutboxEvent>find("publishedAt is null and parkedAt is null order by seq")
                                    .page(0, BATCH).list()));
                    if (batch.isEmpty()) {
                        failures = 0;
                        return total;
                    }
                    Pass pass = send(batch);
                    record(pass);
                    total += pass.published.size();
                    if (pass.retriable != null) {
                        backOff(pass.retriable);
                        return total;
                    }
                    failures = 0;
                }
            } catch (RuntimeException databaseDown) {
                backOff(databaseDown); // unpublished rows stay unpublished and are sent again
                return total;
            }
        } finally {
            running.unlock();
        }
    }

    /** What one batch came to: sent, refused for good, and the first failure worth retrying. */
    private static final class Pass {
        final List<Long> published = new ArrayList<>();
        final List<OutboxEvent> parked = new ArrayList<>();
        final List<String> reasons = new ArrayList<>();
        Throwable retriable;
    }

    /**
     * Sends the batch and waits up to {@code outbox.send-timeout} for Kafka's answers. An event still unanswered
     * stays in {@link #unanswered} and the next pass waits for that same send instead of sending it again: the
     * message is still queued in the connector or the producer (which retries until its delivery timeout), so a
     * second send would put the event on its topic twice once the broker is back.
     */
    private Pass send(List<OutboxEvent> batch) {
        Duration timeout = config.sendTimeout();
        Map<Long, CompletableFuture<Void>> sends = new LinkedHashMap<>();
        for (OutboxEvent event : batch) {
            CompletableFuture<Void> earlier = unanswered.get(event.seq);
            sends.put(event.seq, earlier != null ? earlier
                    : emitter.sendMessage(toMessage(event)).subscribeAsCompletionStage());
        }
        unanswered.clear(); // what is not in this batch was answered, or published by another instance
        try {
            CompletableFuture.allOf(sends.values().toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException someFailedOrUnanswered) {
            // each send's own outcome is read below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pass pass = new Pass();
        for (OutboxEvent event : batch) {
            CompletableFuture<Void> send = sends.get(event.seq);
            if (!send.isDone()) {
                unanswered.put(event.seq, send);
                if (pass.retriable == null) {
                    pass.retriable = new TimeoutException("Kafka did not answer within " + timeout
                            + "; waiting for that send before sending again");
                }
                continue;
            }
            Throwable failure = send.handle((ok, error) -> error).join();
            if (failure == null) {
                pass.published.add(event.seq);
                continue;
            }
            var reason = PublishFailures.permanentReason(failure);
            if (reason.isPresent()) {
                pass.parked.add(event);
                pass.reasons.add(truncate(reason.get()));
            } else if (pass.retriable == null) {
                pass.retriable = failure;
            }
        }
        return pass;
    }

    /** Marks what went out and parks what was refused, in one transaction. */
    private void record(Pass pass) {
        if (pass.published.isEmpty() && pass.parked.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        ReactiveWork.await(() -> Panache.withTransaction(() -> {
            Uni<Integer> marked = pass.published.isEmpty() ? Uni.createFrom().item(0)
                    : OutboxEvent.update("publishedAt = ?1 where seq in ?2", now, pass.published);
            for (int i = 0; i < pass.parked.size(); i++) {
                Long seq = pass.parked.get(i).seq;
                String reason = pass.reasons.get(i);
                marked = marked.chain(() -> OutboxEvent.update("parkedAt = ?1, parkReason = ?2 where seq = ?3",
                        now, reason, seq));
            }
            return marked;
        }));
        metrics.published(pass.published.size());
        for (int i = 0; i < pass.parked.size(); i++) {
            OutboxEvent event = pass.parked.get(i);
            metrics.parked(event.topic);
            LOG.errorf("outbox event %s (%s, catalog %s, topic %s) is parked: Kafka refuses it for good (%s); "
                    + "later events go on, GET /outbox/parked lists it", event.id, event.type, event.subject,
                    event.topic, pass.reasons.get(i));
        }
    }

    private void backOff(Throwable failure) {
        failures++;
        Duration wait = new Backoff(config.retryInitial(), config.retryMax()).delay(failures);
        retryAt = clock.instant().plus(wait);
        metrics.sendFailed();
        if (Integer.bitCount(failures) == 1) { // the 1st, 2nd, 4th, 8th... failure in a row: no log flood
            LOG.warnf("outbox relay could not publish (%d failed passes in a row), retrying in %s: %s", failures,
                    wait, failure.toString());
        }
    }

    private static String truncate(String reason) {
        return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON) + "…";
    }

    private static Map<String, Object> extensions(OutboxEvent event) {
        Map<String, Object> extensions = new LinkedHashMap<>();
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
