package dev.catalogautopilot.audit.dlq;

import dev.catalogautopilot.events.EventSizeLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A dead-letter topic: read from the beginning to its current end without joining a consumer group, and re-driven
 * by publishing records again to the topics they came from, with their key, value and CloudEvents headers. Consumers
 * deduplicate by event id, so re-driving a record twice, or one that was processed after all, changes nothing.
 */
public final class DeadLetterTopic {

    private final String bootstrapServers;
    private final String topic;

    public DeadLetterTopic(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
    }

    /** Every record now in the topic, oldest first per partition; empty when the topic does not exist. */
    public List<DeadLetter> read() {
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrapServers,
                "client.id", "catalog-autopilot-dlq-" + UUID.randomUUID(), "enable.auto.commit", "false",
                "max.partition.fetch.bytes", EventSizeLimit.MAX_RECORD_BYTES);
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.listTopics(Duration.ofSeconds(30)).getOrDefault(topic, List.of())) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            if (partitions.isEmpty()) {
                return letters;
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            consumer.seekToBeginning(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        letters.add(new DeadLetter(record));
                    }
                }
            }
        }
        return letters;
    }

    /** Publishes {@code letters} to their original topics in one producer session; returns where each went. */
    public List<RecordMetadata> redrive(List<DeadLetter> letters) throws InterruptedException {
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrapServers, "acks", "all",
                "enable.idempotence", "true", "max.request.size", EventSizeLimit.MAX_RECORD_BYTES,
                "client.id", "catalog-autopilot-dlq-redrive-" + UUID.randomUUID());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (DeadLetter letter : letters) {
                sends.add(producer.send(new ProducerRecord<>(letter.originalTopic(), null, letter.record().key(),
                        letter.record().value(), letter.originalHeaders())));
            }
            List<RecordMetadata> written = new ArrayList<>();
            for (Future<RecordMetadata> send : sends) {
                try {
                    written.add(send.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("re-drive failed: " + e.getCause().getMessage(), e.getCause());
                }
            }
            return written;
        }
    }
}
