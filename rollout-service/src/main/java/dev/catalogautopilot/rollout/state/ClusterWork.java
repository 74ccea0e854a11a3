package dev.catalogautopilot.rollout.state;

/** Everything a worker needs to take one cluster of a rollout through its next steps. */
public record ClusterWork(String rolloutId, String catalog, RolloutTarget target, ClusterRollout cluster) {
}
