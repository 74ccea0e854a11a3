package dev.catalogautopilot.audit.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.audit.AuditCommand;
import dev.catalogautopilot.testing.kafka.SharedKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code audit dlq list} and {@code dlq redrive} against the real broker, over records written as SmallRye's
 * dead-letter strategy writes them.
 */
class DlqCommandIT {

    private final String bootstrap = SharedKafka.bootstrapServers();
    private final String topic = "dlq-it-" + UUID.randomUUID().toString().substring(0, 8) + ".jobs";
    private final String dlq = topic + ".dlq";

    @Test
    void listsDeadLetteredRecordsWithTheirReasonAndReDrivesOneToItsTopicWithItsCloudEventsHeaders()
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1), new NewTopic(dlq, 1, (short) 1))).all()
                    .get();
        }
        deadLetter("e-1", "{\"n\":1}", "cannot write job: Connection refused");
        deadLetter("e-2", "{\"n\":2}", "missing header ce_subject");

        StringWriter listed = new StringWriter();
        assertThat(run(listed, "dlq", "list", "--topic", dlq)).isZero();
        assertThat(listed.toString())
                .contains(dlq + "-0@0  id=e-1  type=dev.catalogautopilot.mirror.job.requested.v1  from=" + topic
                        + "-2@17  key=quay.io/ns/repo")
                .contains("reason: dev.catalogautopilot.events.EventDecodingException: missing header ce_subject")
                .contains("2 dead-lettered records in " + dlq);

        StringWriter redriven = new StringWriter();
        assertThat(run(redriven, "dlq", "redrive", "--topic", dlq, "--event", "e-1")).isZero();
        assertThat(redriven.toString()).contains("re-drove " + dlq + "-0@0 (id=e-1) to " + topic + "-0@0")
                .contains("1 records re-driven");

        ConsumerRecord<String, byte[]> back = readOne(topic);
        assertThat(back.key()).isEqualTo("quay.io/ns/repo");
        assertThat(new String(back.value(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
        List<String> headerNames = new ArrayList<>();
        for (Header h : back.headers()) {
            headerNames.add(h.key());
        }
        assertThat(headerNames).containsExactly("ce_specversion", "ce_id", "ce_type", "ce_source",
                "ce_correlationid");
        assertThat(new String(back.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8)).isEqualTo("e-1");

        StringWriter missing = new StringWriter();
        assertThat(run(missing, "dlq", "redrive", "--topic", dlq, "--event", "no-such-id")).isEqualTo(1);
    }

    private int run(StringWriter out, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--bootstrap-servers";
        all[1] = bootstrap;
        System.arraycopy(args, 0, all, 2, args.length);
        return AuditCommand.run(all, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
    }

    private void deadLetter(String id, String value, String reason) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(dlq, "quay.io/ns/repo",
                    value.getBytes(StandardCharsets.UTF_8));
            header(record, "ce_specversion", "1.0");
            header(record, "ce_id", id);
            header(record, "ce_type", "dev.catalogautopilot.mirror.job.requested.v1");
            header(record, "ce_source", "/mirror-service");
            header(record, "ce_correlationid", "run-1");
            header(record, "dead-letter-reason", reason);
            header(record, "dead-letter-exception-class-name", "dev.catalogautopilot.events.EventDecodingException");
            header(record, "dead-letter-topic", topic);
            header(record, "dead-letter-partition", "2");
            header(record, "dead-letter-offset", "17");
            producer.send(record).get();
        }
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private ConsumerRecord<String, byte[]> readOne(String from) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition p = new TopicPartition(from, 0);
            consumer.assign(List.of(p));
            consumer.seekToBeginning(List.of(p));
            long deadline = System.currentTimeMillis() + 30_000;
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            while (records.isEmpty() && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            consumer.poll(Duration.ofMillis(300)).forEach(records::add);
            assertThat(records).hasSize(1);
            return records.get(0);
        }
    }
}
