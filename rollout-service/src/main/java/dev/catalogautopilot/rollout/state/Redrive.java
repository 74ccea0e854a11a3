package dev.catalogautopilot.rollout.state;

/**
 * A recorded re-drive: the new rollout it started and the run it opened.
 *
 * @param rolloutId      the new rollout
 * @param actionEventId  its {@code rollout.action.recorded.v1} ({@code REDRIVE})
 * @param correlationId  the new run
 * @param replayedEvent  the catalog-mirrored event it replays
 * @param repeated       an earlier request with the same request id already re-drove; nothing changed now
 */
public record Redrive(String rolloutId, String actionEventId, String correlationId, String replayedEvent,
        boolean repeated) {

    Redrive asRepeated() {
        return new Redrive(rolloutId, actionEventId, correlationId, replayedEvent, true);
    }
}
