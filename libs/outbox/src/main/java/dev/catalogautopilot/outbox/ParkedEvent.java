package dev.catalogautopilot.outbox;

import java.time.Instant;

/** An outbox event Kafka refused for good, as {@code GET /outbox/parked} lists it; its data is left out. */
public record ParkedEvent(String id, String type, String topic, String subject, long payloadBytes, Instant time,
                          Instant parkedAt, String reason) {
}
