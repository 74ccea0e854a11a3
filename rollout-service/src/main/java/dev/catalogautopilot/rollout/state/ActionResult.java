package dev.catalogautopilot.rollout.state;

/** The outcome of an operator action on a rollout. */
public record ActionResult(Outcome outcome, String eventId, String message) {

    /** What happened. */
    public enum Outcome {
        /** Applied and recorded as an event. */
        RECORDED,
        /** The same request (same request id) was already recorded; nothing changed again. */
        REPEATED,
        NOT_FOUND,
        /** Not applicable now, e.g. resuming a rollout that is not paused. */
        CONFLICT
    }

    static ActionResult conflict(String message) {
        return new ActionResult(Outcome.CONFLICT, null, message);
    }
}
