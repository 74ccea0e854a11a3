package dev.catalogautopilot.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.events.kafka.KafkaCloudEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * Keeps the examples in docs/events.md generated from the records: writes them to
 * target/event-examples.md and fails when the docs show anything else.
 */
class EventDocsTest {

    private static final Path DOCS = Path.of("../../docs/events.md");

    @Test
    void docsShowTheGeneratedExampleOfEveryType() throws IOException {
        StringBuilder generated = new StringBuilder();
        for (EventData example : EventExamples.all()) {
            generated.append("#### `").append(EventCatalog.typeOf(example).name()).append("`\n\n")
                    .append(jsonBlock(example)).append('\n');
        }
        generated.append("#### envelope headers\n\n").append(headerBlock()).append('\n');
        Path out = Path.of("target/event-examples.md");
        Files.writeString(out, generated, StandardCharsets.UTF_8);

        String docs = Files.readString(DOCS, StandardCharsets.UTF_8);

        assertThat(EventExamples.all()).allSatisfy(example -> assertThat(docs)
                .as("docs/events.md example of %s (regenerated in %s)", EventCatalog.typeOf(example), out)
                .contains(jsonBlock(example)));
        assertThat(docs).as("docs/events.md header example").contains(headerBlock());
        assertThat(EventCatalog.typeNames()).allSatisfy(type -> assertThat(docs).contains("`" + type + "`"));
        assertThat(Topics.allWithDeadLetters()).allSatisfy(topic -> assertThat(docs).contains("`" + topic + "`"));
    }

    private static String jsonBlock(EventData example) {
        return "```json\n" + EventJson.toPrettyJson(example) + "\n```\n";
    }

    private static String headerBlock() {
        Clock builtAt = Clock.fixed(EventExamples.T0.plusSeconds(95), ZoneOffset.UTC);
        EventEnvelope<?> changed = new EventEnvelope<>("4b1f3c1e-8a55-4a0b-9d8e-2f8f0b6f7c21", EventSources.WATCHER,
                "dev.catalogautopilot.catalog.changed.v1", EventExamples.CATALOG, EventExamples.T0,
                "4b1f3c1e-8a55-4a0b-9d8e-2f8f0b6f7c21", null, EventExamples.catalogChanged());
        EventEnvelope<?> built = EventEnvelope.causedBy(changed, EventSources.BUILDER, EventExamples.catalogBuilt(),
                builtAt);
        ProducerRecord<String, byte[]> record = KafkaCloudEvents.toProducerRecord(built);
        StringBuilder block = new StringBuilder("```text\n");
        block.append("topic: ").append(record.topic()).append('\n');
        block.append("key: ").append(record.key()).append('\n');
        for (Header header : record.headers()) {
            block.append(header.key()).append(": ")
                    .append(new String(header.value(), StandardCharsets.UTF_8)).append('\n');
        }
        return block.append("```\n").toString();
    }
}
