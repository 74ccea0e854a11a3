package dev.catalogautopilot.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catalogautopilot.events.EventCatalog;
import dev.catalogautopilot.events.EventExamples;
import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.EventDecodingException;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventJson;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.UnknownEventTypeException;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.catalog.CatalogCounts;
import dev.catalogautopilot.events.catalog.UpstreamSource;
import dev.catalogautopilot.events.catalog.WatchTrigger;
import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KafkaCloudEventsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-04T10:15:30.123Z"), ZoneOffset.UTC);
    private static final CatalogChanged CHANGED = new CatalogChanged("redhat-operators",
            new UpstreamSource.AppRegistry("https://quay.io/cnr", "redhat-operators"),
            WatchTrigger.POLL, "sha256:02", "sha256:01",
            List.of(), List.of(), List.of(), List.of(), null, Instant.parse("2025-03-04T10:15:00Z"));
    private static final EventEnvelope<CatalogChanged> ROOT =
            EventEnvelope.first(EventSources.WATCHER, "redhat-operators", CHANGED, CLOCK);

    static Stream<EventData> examples() {
        return EventExamples.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyEventSurvivesTheKafkaRecord(EventData data) {
        EventEnvelope<EventData> sent = EventEnvelope.causedBy(ROOT, EventSources.MIRROR, data, "x", CLOCK);

        ProducerRecord<String, byte[]> produced = KafkaCloudEvents.toProducerRecord(sent);
        EventEnvelope<?> received = KafkaCloudEvents.fromConsumerRecord(delivered(produced));

        assertThat(received).isEqualTo(sent);
        assertThat(produced.topic()).isEqualTo(EventCatalog.typeOf(data).topic());
        assertThat(EventJson.read(produced.value(), data.getClass())).isEqualTo(data);
    }

    @Test
    void writesTheHeadersSmallRyeWrites() {
        EventEnvelope<CatalogBuilt> built = EventEnvelope.causedBy(ROOT, EventSources.BUILDER,
                EventExamples.catalogBuilt(), CLOCK);

        ProducerRecord<String, byte[]> record = KafkaCloudEvents.toProducerRecord("catalog.builds", "redhat-operators",
                built);

        assertThat(record.key()).isEqualTo("redhat-operators");
        assertThat(record.partition()).isNull();
        assertThat(Stream.of(record.headers().toArray()).map(Header::key)).containsExactly(
                "ce_specversion", "ce_id", "ce_type", "ce_source", "ce_subject", "ce_datacontenttype",
                "content-type", "ce_time", "ce_correlationid", "ce_causationid");
        assertThat(text(record.headers(), "ce_specversion")).isEqualTo("1.0");
        assertThat(text(record.headers(), "ce_id")).isEqualTo(built.id());
        assertThat(text(record.headers(), "ce_type")).isEqualTo("dev.catalogautopilot.catalog.built.v1");
        assertThat(text(record.headers(), "ce_source")).isEqualTo("/catalog-autopilot/builder-service");
        assertThat(text(record.headers(), "ce_subject")).isEqualTo("redhat-operators");
        assertThat(text(record.headers(), "ce_datacontenttype")).isEqualTo("application/json");
        assertThat(text(record.headers(), "content-type")).isEqualTo("application/json");
        assertThat(text(record.headers(), "ce_time")).isEqualTo("2025-03-04T10:15:30.123Z");
        assertThat(text(record.headers(), "ce_correlationid")).isEqualTo(ROOT.id());
        assertThat(text(record.headers(), "ce_causationid")).isEqualTo(ROOT.id());
    }

    @Test
    void firstEventHasNoCausationHeader() {
        ProducerRecord<String, byte[]> record = KafkaCloudEvents.toProducerRecord(ROOT);

        assertThat(record.headers().lastHeader("ce_causationid")).isNull();
        assertThat(text(record.headers(), "ce_correlationid")).isEqualTo(ROOT.id());
        assertThat(KafkaCloudEvents.fromConsumerRecord(delivered(record))).isEqualTo(ROOT);
    }

    @Test
    void mirrorJobsGoToMirrorJobsKeyedBySourceRepository() {
        MirrorJobRequested job = EventExamples.mirrorJobRequested();

        ProducerRecord<String, byte[]> record = KafkaCloudEvents.toProducerRecord(
                EventEnvelope.causedBy(ROOT, EventSources.MIRROR, job, job.source(), CLOCK));

        assertThat(record.topic()).isEqualTo("mirror.jobs");
        assertThat(record.key()).isEqualTo("quay.io/strimzi/operator");
    }

    @Test
    void timeWithAnOffsetAndNanosecondsIsRead() {
        assertThat(KafkaCloudEvents.parseTime("2025-03-04T12:15:30.123456789+02:00"))
                .isEqualTo(Instant.parse("2025-03-04T10:15:30.123456789Z"));
        assertThat(KafkaCloudEvents.parseTime("2025-03-04T10:15:30Z")).isEqualTo(Instant.parse("2025-03-04T10:15:30Z"));
        assertThat(KafkaCloudEvents.formatTime(Instant.parse("2025-03-04T10:15:30Z")))
                .isEqualTo("2025-03-04T10:15:30Z");
        assertThatThrownBy(() -> KafkaCloudEvents.parseTime("04/03/2025")).isInstanceOf(EventDecodingException.class);
    }

    @Test
    void readsRecordsWithoutTheOptionalContentTypeHeaders() {
        Headers headers = KafkaCloudEvents.headers(ROOT);
        headers.remove("content-type");
        headers.remove("ce_datacontenttype");

        assertThat(KafkaCloudEvents.fromHeaders(headers, EventJson.toBytes(CHANGED))).isEqualTo(ROOT);
    }

    @Test
    void unknownTypeFailsWithTheTypeSoConsumersCanSkipIt() {
        Headers headers = KafkaCloudEvents.headers(ROOT);
        headers.remove("ce_type");
        headers.add("ce_type", "dev.catalogautopilot.catalog.changed.v2".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> KafkaCloudEvents.fromHeaders(headers, EventJson.toBytes(CHANGED)))
                .isInstanceOfSatisfying(UnknownEventTypeException.class,
                        e -> assertThat(e.type()).isEqualTo("dev.catalogautopilot.catalog.changed.v2"));
    }

    @Test
    void malformedRecordsFailWithAReasonForTheDeadLetterTopic() {
        byte[] value = EventJson.toBytes(CHANGED);

        assertThatThrownBy(() -> KafkaCloudEvents.fromHeaders(without("ce_correlationid"), value))
                .isInstanceOf(EventDecodingException.class).hasMessage("missing header ce_correlationid");
        assertThatThrownBy(() -> KafkaCloudEvents.fromHeaders(without("ce_id"), value))
                .hasMessage("missing header ce_id");
        assertThatThrownBy(() -> KafkaCloudEvents.fromHeaders(replaced("ce_specversion", "0.3"), value))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("0.3");
        assertThatThrownBy(() -> KafkaCloudEvents.fromHeaders(
                replaced("content-type", "application/cloudevents+json; charset=UTF-8"), value))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("binary-mode");
        assertThatThrownBy(() -> KafkaCloudEvents.fromHeaders(replaced("ce_subject", "other-catalog"), value))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("inconsistent");
        assertThatThrownBy(() -> KafkaCloudEvents.fromHeaders(KafkaCloudEvents.headers(ROOT),
                "{\"catalog\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventDecodingException.class).isNotInstanceOf(UnknownEventTypeException.class);
    }

    @Test
    void unknownJsonFieldsInTheValueAreIgnored() {
        EventEnvelope<CatalogBuilt> built = EventEnvelope.causedBy(ROOT, EventSources.BUILDER,
                new CatalogBuilt("redhat-operators", "sha256:02", "m/olm/redhat-operators@sha256:aa", List.of(),
                        new CatalogCounts(1, 1, 1), List.of(), EventExamples.catalogBuilt().referencedImages(), null),
                CLOCK);
        String json = EventJson.toJson(built.data());
        byte[] newerProducer = ("{\"schemaHint\":\"from-v1.5\"," + json.substring(1)).getBytes(StandardCharsets.UTF_8);

        assertThat(KafkaCloudEvents.fromHeaders(KafkaCloudEvents.headers(built), newerProducer)).isEqualTo(built);
    }

    private static Headers without(String name) {
        Headers headers = KafkaCloudEvents.headers(ROOT);
        headers.remove(name);
        return headers;
    }

    private static Headers replaced(String name, String value) {
        Headers headers = without(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static String text(Headers headers, String name) {
        return KafkaCloudEvents.header(headers, name).orElseThrow();
    }

    // What a consumer gets back: a fresh record with copies of the produced header and value bytes.
    private static ConsumerRecord<String, byte[]> delivered(ProducerRecord<String, byte[]> produced) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : produced.headers()) {
            headers.add(header.key(), header.value().clone());
        }
        byte[] value = produced.value().clone();
        return new ConsumerRecord<>(produced.topic(), 0, 42L, 1_741_083_330_123L, TimestampType.CREATE_TIME,
                produced.key().length(), value.length, produced.key(), value, headers, Optional.empty());
    }
}
