package dev.catalogautopilot.audit.dlq;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record in a dead-letter topic, as SmallRye's dead-letter failure strategy wrote it: the original key, value and
 * headers (the CloudEvents {@code ce_*} ones among them) plus {@code dead-letter-*} headers saying where it came
 * from and why it failed.
 */
public record DeadLetter(ConsumerRecord<String, byte[]> record) {

    /** Prefix of the headers the dead-letter strategy adds; a re-driven record leaves them behind. */
    public static final String HEADER_PREFIX = "dead-letter-";

    /** The CloudEvents id, if the record has one. */
    public Optional<String> eventId() {
        return header(record.headers(), "ce_id");
    }

    public Optional<String> eventType() {
        return header(record.headers(), "ce_type");
    }

    /** The topic it was consumed from: the strategy's header, else the dead-letter topic's name less ".dlq". */
    public String originalTopic() {
        return header(record.headers(), HEADER_PREFIX + "topic").orElseGet(() -> record.topic().endsWith(".dlq")
                ? record.topic().substring(0, record.topic().length() - ".dlq".length()) : record.topic());
    }

    public String originalPosition() {
        return originalTopic() + "-" + header(record.headers(), HEADER_PREFIX + "partition").orElse("?") + "@"
                + header(record.headers(), HEADER_PREFIX + "offset").orElse("?");
    }

    /** Why the consumer refused it: the exception's message and its class. */
    public String reason() {
        String reason = header(record.headers(), HEADER_PREFIX + "reason").orElse("(no reason recorded)");
        return header(record.headers(), HEADER_PREFIX + "exception-class-name").map(c -> c + ": " + reason)
                .orElse(reason);
    }

    /** The original headers, without the dead-letter ones. */
    public Headers originalHeaders() {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : record.headers()) {
            if (!h.key().startsWith(HEADER_PREFIX)) {
                headers.add(h.key(), h.value());
            }
        }
        return headers;
    }

    private static Optional<String> header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? Optional.empty()
                : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }
}
