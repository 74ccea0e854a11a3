package dev.catalogautopilot.outbox.consumer;

import java.time.Duration;
import java.time.Instant;

/**
 * One consumed topic as {@code GET /consumers} shows it.
 *
 * @param inFlight             the record being processed ({@code topic-partition@offset}), null when idle
 * @param attempts             attempts at that record so far
 * @param lastFailure          the failure of its last attempt, retried
 * @param stuck                in flight for {@code consumer-retry.stuck-after} or longer (health DOWN)
 * @param retries              retries since start, all records
 * @param deadLettered         records sent to {@code deadLetterTopic} since start
 * @param lastDeadLetterReason why the last of them was
 */
public record ConsumerStatus(String topic, String deadLetterTopic, String inFlight, Instant inFlightSince,
                             Duration inFlightFor, int attempts, String lastFailure, boolean stuck, long retries,
                             long deadLettered, String lastDeadLetterReason, Instant lastDeadLetterAt) {
}
