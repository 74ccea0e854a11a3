package dev.catalogautopilot.rollout.state;

/** Where a wave of a rollout stands. */
public enum WaveStatus {
    /** Not started: an earlier wave is running or soaking. */
    WAITING,
    /** Its turn has come, and it waits for an approval. */
    AWAITING_APPROVAL,
    RUNNING,
    COMPLETED,
    /** A cluster failed; the rollout halted here. */
    FAILED,
    /** The rollout was superseded before the wave finished. */
    CANCELLED
}
