package dev.catalogautopilot.testing.kafka;

import dev.catalogautopilot.events.kafka.KafkaCloudEvents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Measures every record published on some topics, from the beginning, without decoding it: a record that is too
 * large or not a CloudEvent still counts. Size is what a producer's {@code max.request.size} is held against for
 * one record: key, value, and header keys and values, in bytes.
 */
public final class RecordSizes implements AutoCloseable {

    /** One measured record. */
    public record Measured(String topic, int partition, long offset, String type, int bytes) {
        @Override
        public String toString() {
            return String.format("%s@%d:%d %s, %,d bytes", topic, partition, offset, type, bytes);
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread poller;
    private final long limit;
    private final AtomicReference<Measured> largest = new AtomicReference<>();
    private final AtomicLong records = new AtomicLong();
    private final List<Measured> oversized = new ArrayList<>();
    private volatile boolean running = true;

    private RecordSizes(String bootstrapServers, List<String> topics, long limit) {
        this.limit = limit;
        consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", bootstrapServers,
                "group.id", "record-sizes-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest",
                "enable.auto.commit", "false",
                "metadata.max.age.ms", "1000"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(topics);
        poller = new Thread(this::pollLoop, "record-sizes");
        poller.setDaemon(true);
        poller.start();
    }

    /** Starts measuring {@code topics}; records larger than {@code limit} bytes are kept in {@link #oversized()}. */
    public static RecordSizes open(String bootstrapServers, List<String> topics, long limit) {
        return new RecordSizes(bootstrapServers, topics, limit);
    }

    /** The largest record so far, or null before the first. */
    public Measured largest() {
        return largest.get();
    }

    /** How many records were measured. */
    public long records() {
        return records.get();
    }

    /** Every record over the limit so far. */
    public synchronized List<Measured> oversized() {
        return List.copyOf(oversized);
    }

    /** The size a record counts for: key, value, and every header's key and value. */
    public static int sizeOf(ConsumerRecord<byte[], byte[]> record) {
        int size = (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
        for (Header header : record.headers()) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }

    private void pollLoop() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Header type = record.headers().lastHeader(KafkaCloudEvents.TYPE);
                    Measured measured = new Measured(record.topic(), record.partition(), record.offset(),
                            type == null ? "(no ce_type)" : new String(type.value(), StandardCharsets.UTF_8),
                            sizeOf(record));
                    records.incrementAndGet();
                    largest.accumulateAndGet(measured, (a, b) -> a == null || b.bytes() > a.bytes() ? b : a);
                    if (measured.bytes() > limit) {
                        synchronized (this) {
                            oversized.add(measured);
                        }
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
}
