package dev.catalogautopilot.testing.kafka;

import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.EventEnvelope;
import java.util.Map;

/** One event as a consumer saw it on a topic: where it was, its raw headers and value, and the decoded envelope. */
public record ReceivedEvent(String topic, int partition, long offset, String key, Map<String, String> headers,
        byte[] value, EventEnvelope<?> envelope) {

    public String type() {
        return envelope.type();
    }

    public <T extends EventData> T data(Class<T> type) {
        return type.cast(envelope.data());
    }
}
