package dev.catalogautopilot.outbox.consumer;

import java.time.Duration;
import java.time.Instant;

/**
 * What one consumed topic is doing, for the status endpoint, the metrics and the health check: the record in
 * flight, how long and how often it has been tried, and what went to the topic's dead-letter topic.
 */
final class ConsumerChannel {

    private final String topic;
    private final String deadLetterTopic;

    private String inFlight;
    private Instant inFlightSince;
    private int attempts;
    private String lastFailure;
    private long retries;
    private long deadLettered;
    private String lastDeadLetterReason;
    private Instant lastDeadLetterAt;

    ConsumerChannel(String topic, String deadLetterTopic) {
        this.topic = topic;
        this.deadLetterTopic = deadLetterTopic;
    }

    String topic() {
        return topic;
    }

    String deadLetterTopic() {
        return deadLetterTopic;
    }

    synchronized void started(String record, Instant now) {
        inFlight = record;
        inFlightSince = now;
        attempts = 1;
        lastFailure = null;
    }

    /** Records a retriable failure; returns the number of attempts made so far. */
    synchronized int failed(Throwable failure) {
        lastFailure = failure.toString();
        retries++;
        return attempts++;
    }

    synchronized void finished() {
        inFlight = null;
        inFlightSince = null;
        attempts = 0;
        lastFailure = null;
    }

    synchronized void deadLettered(Throwable failure, Instant now) {
        deadLettered++;
        lastDeadLetterReason = failure.toString();
        lastDeadLetterAt = now;
        finished();
    }

    synchronized double inFlightSeconds(Instant now) {
        return inFlightSince == null ? 0 : Duration.between(inFlightSince, now).toMillis() / 1000.0;
    }

    synchronized long retries() {
        return retries;
    }

    synchronized long deadLetteredCount() {
        return deadLettered;
    }

    /** The state as of {@code now}; stuck when the record in flight has been so for {@code stuckAfter} or more. */
    synchronized ConsumerStatus status(Instant now, Duration stuckAfter) {
        Duration inFlightFor = inFlightSince == null ? null : Duration.between(inFlightSince, now);
        boolean stuck = inFlightFor != null && inFlightFor.compareTo(stuckAfter) >= 0;
        return new ConsumerStatus(topic, deadLetterTopic, inFlight, inFlightSince, inFlightFor,
                inFlight == null ? 0 : attempts, lastFailure, stuck, retries, deadLettered, lastDeadLetterReason,
                lastDeadLetterAt);
    }
}
