package dev.catalogautopilot.audit;

import dev.catalogautopilot.events.kafka.KafkaCloudEvents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads topics from the beginning (or from a timestamp) up to their current end, without joining a consumer group,
 * so reading the audit log never disturbs the services' offsets.
 */
public final class AuditLogReader {

    private final String bootstrapServers;

    public AuditLogReader(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Every record of {@code topics}; records that are not valid events are reported in {@code undecodable}. */
    public List<AuditEvent> read(List<String> topics, Instant from, List<String> undecodable) {
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrapServers,
                "client.id", "catalog-autopilot-audit-" + UUID.randomUUID(), "enable.auto.commit", "false");
        List<AuditEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            Map<String, List<PartitionInfo>> all = consumer.listTopics(Duration.ofSeconds(30));
            for (String topic : topics) {
                for (PartitionInfo p : all.getOrDefault(topic, List.of())) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
            }
            if (partitions.isEmpty()) {
                return events;
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            if (from == null) {
                consumer.seekToBeginning(partitions);
            } else {
                Map<TopicPartition, Long> query = new HashMap<>();
                partitions.forEach(p -> query.put(p, from.toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query);
                partitions.forEach(p -> {
                    OffsetAndTimestamp o = offsets.get(p);
                    consumer.seek(p, o == null ? end.get(p) : o.offset());
                });
            }
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Map<String, String> headers = new LinkedHashMap<>();
                    for (Header h : record.headers()) {
                        headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
                    }
                    try {
                        events.add(new AuditEvent(record.topic(), record.partition(), record.offset(), headers,
                                record.value(), KafkaCloudEvents.fromConsumerRecord(record)));
                    } catch (RuntimeException e) {
                        undecodable.add(record.topic() + "/" + record.partition() + "@" + record.offset() + ": "
                                + e.getMessage());
                    }
                }
            }
        }
        return events;
    }
}
