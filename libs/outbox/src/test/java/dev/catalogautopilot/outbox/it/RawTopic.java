package dev.catalogautopilot.outbox.it;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Reads and writes a single-partition test topic's raw records. */
final class RawTopic {

    private RawTopic() {
    }

    static void send(String bootstrap, String topic, String value, String id) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, "k", value.getBytes());
            record.headers().add("ce_id", id.getBytes());
            producer.send(record).get();
        }
    }

    /** Every record of partition 0, reading until at least {@code atLeast} are there or {@code within} passed. */
    static List<ConsumerRecord<String, byte[]>> read(String bootstrap, String topic, int atLeast, Duration within) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Instant deadline = Instant.now().plus(within);
            do {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            } while (records.size() < atLeast && Instant.now().isBefore(deadline));
            // Whatever arrives shortly after the awaited count is also read, so "exactly" can be asserted.
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }
}
