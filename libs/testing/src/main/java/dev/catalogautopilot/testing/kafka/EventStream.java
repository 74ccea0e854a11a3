package dev.catalogautopilot.testing.kafka;

import dev.catalogautopilot.events.kafka.KafkaCloudEvents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads topics from the beginning, in the background, decoding every record as a CloudEvent the way a real
 * consumer would. Tests filter by subject (their own catalog names), since the broker is shared.
 */
public final class EventStream implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ReceivedEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> decodingErrors = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile boolean running = true;

    private EventStream(String bootstrapServers, List<String> topics) {
        consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", bootstrapServers,
                "group.id", "event-stream-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest",
                "enable.auto.commit", "false",
                "metadata.max.age.ms", "1000"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(topics);
        poller = new Thread(this::pollLoop, "event-stream");
        poller.setDaemon(true);
        poller.start();
    }

    public static EventStream open(String bootstrapServers, String... topics) {
        return new EventStream(bootstrapServers, List.of(topics));
    }

    /** Opens a stream on the shared test broker. */
    public static EventStream onSharedBroker(String... topics) {
        return open(SharedKafka.bootstrapServers(), topics);
    }

    public List<ReceivedEvent> all() {
        return List.copyOf(events);
    }

    public List<ReceivedEvent> about(String subject) {
        return matching(e -> subject.equals(e.envelope().subject()));
    }

    public List<ReceivedEvent> matching(Predicate<ReceivedEvent> filter) {
        return events.stream().filter(filter).toList();
    }

    /** Records that could not be decoded as events; a healthy pipeline has none. */
    public List<String> decodingErrors() {
        return List.copyOf(decodingErrors);
    }

    /** Waits until at least {@code count} events match, and returns all that match. */
    public List<ReceivedEvent> await(Predicate<ReceivedEvent> filter, int count, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            List<ReceivedEvent> found = matching(filter);
            if (found.size() >= count) {
                return found;
            }
            sleep(100);
        }
        throw new AssertionError("expected " + count + " matching events within " + timeout + ", saw "
                + matching(filter).size() + "; all events: " + summary());
    }

    public List<ReceivedEvent> await(String subject, int count, Duration timeout) {
        return await(e -> subject.equals(e.envelope().subject()), count, timeout);
    }

    private String summary() {
        List<String> lines = new ArrayList<>();
        events.forEach(e -> lines.add(e.envelope().subject() + ":" + e.type()));
        return lines + (decodingErrors.isEmpty() ? "" : " decoding errors: " + decodingErrors);
    }

    private void pollLoop() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        Map<String, String> headers = new LinkedHashMap<>();
                        for (Header h : record.headers()) {
                            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
                        }
                        events.add(new ReceivedEvent(record.topic(), record.partition(), record.offset(), record.key(),
                                headers, record.value(), KafkaCloudEvents.fromConsumerRecord(record)));
                    } catch (RuntimeException e) {
                        decodingErrors.add(record.topic() + "@" + record.offset() + ": " + e.getMessage());
                    }
                }
            }
        } catch (WakeupException stopping) {
            // closed
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
