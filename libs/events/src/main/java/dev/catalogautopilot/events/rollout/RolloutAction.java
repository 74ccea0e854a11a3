package dev.catalogautopilot.events.rollout;

/** What an operator can ask of a rollout. */
public enum RolloutAction {
    /** Let a wave that requires approval start. */
    APPROVE,
    /** Start no further clusters until {@link #RESUME}. */
    PAUSE,
    /** Continue after {@link #PAUSE}. */
    RESUME,
    /** Retry the failed clusters of a halted rollout. */
    REDRIVE
}
