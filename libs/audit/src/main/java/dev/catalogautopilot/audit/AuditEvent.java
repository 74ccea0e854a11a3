package dev.catalogautopilot.audit;

import dev.catalogautopilot.events.EventEnvelope;
import java.util.Map;

/** One record of the audit log: where it sits, its raw headers and data bytes, and its decoded envelope. */
public record AuditEvent(String topic, int partition, long offset, Map<String, String> headers, byte[] value,
        EventEnvelope<?> envelope) {

    public String header(String name) {
        return headers.get(name);
    }

    /** Where to find the record again: {@code topic/partition@offset}. */
    public String position() {
        return topic + "/" + partition + "@" + offset;
    }
}
