package dev.catalogautopilot.events.kafka;

import dev.catalogautopilot.events.EventCatalog;
import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.EventDecodingException;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventJson;
import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.TopicKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * CloudEvents 1.0 Kafka binary mode, written as SmallRye Reactive Messaging's Kafka connector writes it: attributes
 * and extensions in {@code ce_*} headers (UTF-8), the data content type in both {@code ce_datacontenttype} and
 * {@code content-type}, {@code ce_time} in RFC 3339, and the JSON data as the record value.
 *
 * <p>Records of a type this build does not know fail with {@link dev.catalogautopilot.events.UnknownEventTypeException}
 * (skip them); any other malformed record fails with {@link EventDecodingException} (dead-letter it).
 */
public final class KafkaCloudEvents {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    public static final String DATA_CONTENT_TYPE = "ce_datacontenttype";
    /** The Kafka content type header; the binding maps {@code datacontenttype} to it. */
    public static final String CONTENT_TYPE = "content-type";
    public static final String CORRELATION_ID = "ce_" + EventEnvelope.CORRELATION_ID;
    public static final String CAUSATION_ID = "ce_" + EventEnvelope.CAUSATION_ID;

    // What SmallRye accepts when reading ce_time: seconds always present, 0-9 fraction digits, offset or zone.
    private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .appendZoneOrOffsetId()
            .toFormatter();

    private KafkaCloudEvents() {
    }

    /** A record for {@code topic} keyed by {@code key}, carrying {@code envelope} in binary mode. */
    public static ProducerRecord<String, byte[]> toProducerRecord(String topic, String key, EventEnvelope<?> envelope) {
        return new ProducerRecord<>(topic, null, null, key, EventJson.toBytes(envelope.data()), headers(envelope));
    }

    /** A record on the topic of the envelope's type, keyed as {@link TopicKeys#keyOf(EventData)} says. */
    public static ProducerRecord<String, byte[]> toProducerRecord(EventEnvelope<?> envelope) {
        EventType<?> type = EventCatalog.forName(envelope.type());
        return toProducerRecord(type.topic(), TopicKeys.keyOf(envelope.data()), envelope);
    }

    /** The binary-mode headers of {@code envelope}, in the order SmallRye writes them. */
    public static Headers headers(EventEnvelope<?> envelope) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, SPEC_VERSION, EventEnvelope.SPEC_VERSION);
        add(headers, ID, envelope.id());
        add(headers, TYPE, envelope.type());
        add(headers, SOURCE, envelope.source());
        add(headers, SUBJECT, envelope.subject());
        add(headers, DATA_CONTENT_TYPE, EventEnvelope.DATA_CONTENT_TYPE);
        add(headers, CONTENT_TYPE, EventEnvelope.DATA_CONTENT_TYPE);
        add(headers, TIME, formatTime(envelope.time()));
        envelope.extensions().forEach((name, value) -> add(headers, "ce_" + name, value));
        return headers;
    }

    /**
     * Decodes a binary-mode record, its data by {@code ce_type}.
     *
     * @throws dev.catalogautopilot.events.UnknownEventTypeException if the type is not known to this build
     * @throws EventDecodingException                                 if the record is not a valid event of its type
     */
    public static EventEnvelope<?> fromConsumerRecord(ConsumerRecord<?, byte[]> record) {
        return fromHeaders(record.headers(), record.value());
    }

    /** Decodes binary-mode {@code headers} and {@code value}; see {@link #fromConsumerRecord(ConsumerRecord)}. */
    public static EventEnvelope<?> fromHeaders(Headers headers, byte[] value) {
        String specVersion = required(headers, SPEC_VERSION);
        if (!EventEnvelope.SPEC_VERSION.equals(specVersion)) {
            throw new EventDecodingException("unsupported " + SPEC_VERSION + " '" + specVersion + "'");
        }
        String contentType = header(headers, CONTENT_TYPE).or(() -> header(headers, DATA_CONTENT_TYPE)).orElse(null);
        if (contentType != null && !contentType.startsWith(EventEnvelope.DATA_CONTENT_TYPE)) {
            throw new EventDecodingException("unsupported content type '" + contentType
                    + "'; events are binary-mode CloudEvents with " + EventEnvelope.DATA_CONTENT_TYPE + " data");
        }
        String id = required(headers, ID);
        String type = required(headers, TYPE);
        EventData data = EventCatalog.decode(type, value);
        try {
            return new EventEnvelope<>(
                    id,
                    required(headers, SOURCE),
                    type,
                    required(headers, SUBJECT),
                    parseTime(required(headers, TIME)),
                    required(headers, CORRELATION_ID),
                    header(headers, CAUSATION_ID).orElse(null),
                    data);
        } catch (IllegalArgumentException e) {
            throw new EventDecodingException("event " + id + " (" + type + ") is inconsistent: " + e.getMessage(), e);
        }
    }

    /** The value of the last header named {@code name}, as UTF-8 text. */
    public static Optional<String> header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return Optional.empty();
        }
        return Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    /** {@code time} in RFC 3339 at UTC, e.g. {@code 2025-03-04T10:15:30.123Z}. */
    public static String formatTime(Instant time) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time.atOffset(ZoneOffset.UTC));
    }

    /** Parses an RFC 3339 {@code ce_time}, any offset. */
    public static Instant parseTime(String time) {
        try {
            return ZonedDateTime.parse(time, RFC_3339).toInstant();
        } catch (DateTimeParseException e) {
            throw new EventDecodingException("invalid " + TIME + " '" + time + "': not RFC 3339", e);
        }
    }

    private static String required(Headers headers, String name) {
        return header(headers, name)
                .filter(value -> !value.isBlank())
                .orElseThrow(() -> new EventDecodingException("missing header " + name));
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
