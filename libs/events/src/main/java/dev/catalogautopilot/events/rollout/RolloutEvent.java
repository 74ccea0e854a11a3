package dev.catalogautopilot.events.rollout;

import dev.catalogautopilot.events.EventData;

/** Every event on {@code rollout.events}: each belongs to one rollout of one catalog. */
public sealed interface RolloutEvent extends EventData permits RolloutStarted, WaveStarted, ClusterUpdated,
        ClusterFailed, ClusterRolledBack, WaveCompleted, RolloutCompleted, RolloutHalted, RolloutSuperseded,
        RolloutActionRecorded {

    /** The rollout; unique across catalogs. */
    String rolloutId();
}
