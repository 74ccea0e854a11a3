package dev.catalogautopilot.events.rollout;

/** What an operator can ask of a rollout. */
public enum RolloutAction {
    /** Let a wave that requires approval start. */
    APPROVE,
    /** Start no further clusters until {@link #RESUME}. */
    PAUSE,
    /** Continue after {@link #PAUSE}. */
    RESUME,
    /**
     * Roll a catalog out again, fleet-wide, from an earlier catalog-mirrored event (e.g. back to an earlier build):
     * a new run whose first events name that event as their cause; recorded in the new rollout.
     */
    REDRIVE
}
