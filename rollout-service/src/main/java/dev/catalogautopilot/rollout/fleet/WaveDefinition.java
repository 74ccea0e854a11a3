package dev.catalogautopilot.rollout.fleet;

import java.time.Duration;
import java.util.Objects;

/**
 * One configured wave.
 *
 * @param name                 shown in events
 * @param selector             which clusters it takes (of those no earlier wave took)
 * @param maxParallel          clusters updated at the same time
 * @param verificationDeadline time a cluster has to become READY
 * @param soak                 wait after the wave before the next one
 * @param requiresApproval     whether it waits for an approval
 */
public record WaveDefinition(String name, LabelSelector selector, int maxParallel, Duration verificationDeadline,
        Duration soak, boolean requiresApproval) {

    public WaveDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(selector, "selector");
        if (maxParallel < 1) {
            throw new IllegalArgumentException("wave " + name + ": max-parallel must be at least 1");
        }
        if (verificationDeadline.isNegative() || verificationDeadline.isZero()) {
            throw new IllegalArgumentException("wave " + name + ": verification-deadline must be positive");
        }
        if (soak.isNegative()) {
            throw new IllegalArgumentException("wave " + name + ": soak must not be negative");
        }
    }
}
