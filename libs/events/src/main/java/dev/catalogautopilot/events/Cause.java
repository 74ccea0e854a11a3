package dev.catalogautopilot.events;

import java.util.Objects;

/**
 * What a follow-up event needs from the event that caused it; services persist these two values (e.g. with a job
 * row) when the follow-up is published long after the cause was consumed.
 *
 * @param eventId       the causing event's id; becomes the follow-up's {@code causationid}
 * @param correlationId the pipeline run; carried unchanged
 */
public record Cause(String eventId, String correlationId) {
    public Cause {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(correlationId, "correlationId");
    }
}
