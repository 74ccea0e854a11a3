package dev.catalogautopilot.rollout.run;

import dev.catalogautopilot.events.rollout.ClusterFailure;
import dev.catalogautopilot.rollout.state.ClusterState;
import dev.catalogautopilot.rollout.state.WaveStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The next step of a running rollout, decided from its state alone. Waves go in order; the next one starts once
 * the previous completed and soaked, and, if it needs one, after its approval. Within a wave at most
 * max-parallel clusters are in progress. A failed cluster stops the wave from starting others; once nothing is
 * in progress the rollout halts there and later waves are never touched. Pausing stops new starts only.
 */
public final class RolloutStep {

    /**
     * Characters of each failure reason a halt repeats; the full reason is in the cluster's own
     * {@code cluster.failed} event. Keeps {@code rollout.halted.v1} bounded however many clusters failed at once.
     */
    static final int HALT_REASON_CHARS = 200;

    private RolloutStep() {
    }

    /** One wave as the decision needs it. */
    public record WaveView(int index, WaveStatus status, boolean requiresApproval, boolean approved, int maxParallel,
            Duration soak, Instant completedAt, List<ClusterView> clusters) {
        public WaveView {
            Objects.requireNonNull(status, "status");
            clusters = List.copyOf(clusters);
        }
    }

    /** One cluster of a wave, in update order. */
    public record ClusterView(String name, ClusterState state, String reason) {
    }

    /** What the driver does next. */
    public sealed interface Decision {
    }

    /** Nothing to do now. */
    public record Wait(String why) implements Decision {
    }

    public record StartWave(int wave) implements Decision {
    }

    /** The wave's turn has come; it waits for an approval. */
    public record AwaitApproval(int wave) implements Decision {
    }

    public record StartClusters(int wave, List<String> clusters) implements Decision {
        public StartClusters {
            clusters = List.copyOf(clusters);
        }
    }

    public record CompleteWave(int wave) implements Decision {
    }

    public record Halt(int wave, List<ClusterFailure> failures) implements Decision {
        public Halt {
            failures = List.copyOf(failures);
        }
    }

    /** Every wave completed. */
    public record Complete() implements Decision {
    }

    public static Decision decide(boolean paused, List<WaveView> waves, Instant now) {
        WaveView previous = null;
        for (WaveView wave : waves) {
            switch (wave.status()) {
                case COMPLETED -> {
                    previous = wave;
                    continue;
                }
                case WAITING, AWAITING_APPROVAL -> {
                    return beforeStart(paused, wave, previous, now);
                }
                case RUNNING -> {
                    return within(paused, wave);
                }
                default -> {
                    return new Wait("wave " + wave.index() + " is " + wave.status());
                }
            }
        }
        return new Complete();
    }

    private static Decision beforeStart(boolean paused, WaveView wave, WaveView previous, Instant now) {
        if (previous != null && previous.completedAt() != null
                && previous.completedAt().plus(previous.soak()).isAfter(now)) {
            return new Wait("wave " + previous.index() + " soaking");
        }
        if (wave.requiresApproval() && !wave.approved()) {
            return wave.status() == WaveStatus.AWAITING_APPROVAL
                    ? new Wait("wave " + wave.index() + " awaiting approval")
                    : new AwaitApproval(wave.index());
        }
        return paused ? new Wait("paused") : new StartWave(wave.index());
    }

    private static Decision within(boolean paused, WaveView wave) {
        long inProgress = wave.clusters().stream().filter(c -> c.state() == ClusterState.IN_PROGRESS).count();
        List<ClusterFailure> failures = wave.clusters().stream().filter(c -> c.state().failed())
                .map(c -> new ClusterFailure(c.name(), summary(Objects.requireNonNullElse(c.reason(), "failed"))))
                .toList();
        if (!failures.isEmpty()) {
            return inProgress == 0 ? new Halt(wave.index(), failures)
                    : new Wait("wave " + wave.index() + " failing, " + inProgress + " in progress");
        }
        List<String> pending = wave.clusters().stream().filter(c -> c.state() == ClusterState.PENDING)
                .map(ClusterView::name).toList();
        if (pending.isEmpty() && inProgress == 0) {
            return new CompleteWave(wave.index());
        }
        long free = wave.maxParallel() - inProgress;
        if (paused || pending.isEmpty() || free <= 0) {
            return new Wait(paused ? "paused" : "wave " + wave.index() + " has " + inProgress + " in progress");
        }
        return new StartClusters(wave.index(), pending.subList(0, (int) Math.min(free, pending.size())));
    }

    private static String summary(String reason) {
        return reason.length() <= HALT_REASON_CHARS ? reason : reason.substring(0, HALT_REASON_CHARS - 1) + "…";
    }
}
