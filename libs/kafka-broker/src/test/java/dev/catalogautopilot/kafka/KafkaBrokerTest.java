package dev.catalogautopilot.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

    @Test
    void brokerAcceptsAndServesRecordsAndKeepsThemAcrossRestart() throws Exception {
        Path dataDir = Files.createTempDirectory("kafka-broker-test-");
        String bootstrap;
        try (KafkaBroker broker = KafkaBroker.start(dataDir, 0, false)) {
            bootstrap = broker.bootstrapServers();
            produce(bootstrap, "hello");
            assertThat(consumeAll(bootstrap)).containsExactly("hello");
        }
        int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        try (KafkaBroker restarted = KafkaBroker.start(dataDir, port, true)) {
            assertThat(consumeAll(restarted.bootstrapServers())).containsExactly("hello");
        }
        assertThat(dataDir).doesNotExist();
    }

    private static void produce(String bootstrap, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", bootstrap, "acks", "all", "enable.idempotence", "true"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("broker.test", "key", value)).get();
        }
    }

    private static List<String> consumeAll(String bootstrap) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", bootstrap, "group.id", "t-" + System.nanoTime(),
                "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("broker.test"));
            long deadline = System.currentTimeMillis() + 30_000;
            while (values.isEmpty() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
