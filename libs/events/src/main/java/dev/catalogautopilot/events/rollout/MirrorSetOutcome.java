package dev.catalogautopilot.events.rollout;

/** What the rollout did with a cluster's mirror sets: applied changed content, or left identical content alone. */
public enum MirrorSetOutcome {
    APPLIED,
    UNCHANGED
}
