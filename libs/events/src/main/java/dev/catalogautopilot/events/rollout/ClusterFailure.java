package dev.catalogautopilot.events.rollout;

import java.util.Objects;

/** A cluster that failed, and why. */
public record ClusterFailure(String cluster, String reason) {
    public ClusterFailure {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(reason, "reason");
    }
}
