package dev.catalogautopilot.outbox.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catalogautopilot.events.EventDecodingException;
import dev.catalogautopilot.outbox.Backoff;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConsumerRetryTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("mirror.jobs", 3, 42L, "k", new byte[0]);

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    private ConsumerRetry retry(Duration stuckAfter) {
        return new ConsumerRetry(new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)), stuckAfter, registry,
                Clock.systemUTC(), workers);
    }

    @Test
    void anInfrastructureFailureIsRetriedUntilTheWorkSucceedsAndIsNeverDeadLettered() {
        ConsumerRetry retry = retry(Duration.ofMinutes(1));
        AtomicInteger calls = new AtomicInteger();
        retry.blocking(record, () -> {
            if (calls.incrementAndGet() < 4) {
                throw new IllegalStateException(new SQLException("Connection refused"));
            }
        }).await().atMost(Duration.ofSeconds(10));

        assertThat(calls).hasValue(4);
        ConsumerStatus status = retry.status().get(0);
        assertThat(status.topic()).isEqualTo("mirror.jobs");
        assertThat(status.retries()).isEqualTo(3);
        assertThat(status.deadLettered()).isZero();
        assertThat(status.inFlight()).isNull();
        assertThat(registry.get("consumer.retries").tag("topic", "mirror.jobs").functionCounter().count())
                .isEqualTo(3);
    }

    @Test
    void anInvalidRecordFailsAtOnceAndIsCountedForItsDeadLetterTopic() {
        ConsumerRetry retry = retry(Duration.ofMinutes(1));
        AtomicInteger calls = new AtomicInteger();
        Uni<Void> processing = retry.reactive(record, () -> {
            calls.incrementAndGet();
            return Uni.createFrom().failure(new EventDecodingException("missing header ce_id"));
        });

        assertThatThrownBy(() -> processing.await().atMost(Duration.ofSeconds(10)))
                .isInstanceOf(EventDecodingException.class);
        assertThat(calls).hasValue(1);
        ConsumerStatus status = retry.status().get(0);
        assertThat(status.deadLetterTopic()).isEqualTo("mirror.jobs.dlq");
        assertThat(status.deadLettered()).isEqualTo(1);
        assertThat(status.lastDeadLetterReason()).contains("missing header ce_id");
        assertThat(registry.get("consumer.dead.lettered").tags("topic", "mirror.jobs", "dlq", "mirror.jobs.dlq")
                .functionCounter().count()).isEqualTo(1);
    }

    @Test
    void aRecordRetriedPastTheBoundIsReportedStuckWithItsReasonUntilItIsProcessed() {
        ConsumerRetry retry = retry(Duration.ofMillis(50));
        ConsumerHealthCheck health = new ConsumerHealthCheck(retry);
        AtomicInteger calls = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean databaseUp = new java.util.concurrent.atomic.AtomicBoolean();
        var processed = retry.reactive(record, () -> {
            calls.incrementAndGet();
            return databaseUp.get() ? Uni.createFrom().voidItem()
                    : Uni.createFrom().failure(new SQLException("Connection refused"));
        }).subscribeAsCompletionStage();

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var response = health.call();
            assertThat(response.getStatus()).hasToString("DOWN");
            assertThat(response.getData().orElseThrow().get("mirror.jobs").toString())
                    .contains("mirror.jobs-3@42").contains("Connection refused");
        });
        assertThat(processed).isNotDone();

        databaseUp.set(true);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(processed::isDone);
        assertThat(processed).isCompleted();
        assertThat(health.call().getStatus()).hasToString("UP");
        assertThat(calls.get()).isGreaterThan(1);
    }
}
