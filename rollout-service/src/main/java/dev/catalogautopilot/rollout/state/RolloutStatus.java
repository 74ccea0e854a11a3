package dev.catalogautopilot.rollout.state;

/** Where a rollout stands; everything but RUNNING is final. */
public enum RolloutStatus {
    RUNNING, COMPLETED, HALTED, SUPERSEDED
}
