package dev.catalogautopilot.outbox.progress;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One worker loop's progress (a runner, a poller, a reconciler): the loop reports each idle pass and each step of
 * work, and the loop is stuck when it has reported nothing for longer than its bound. An idle loop that keeps
 * passing is healthy; a loop that stopped passing (a dead scheduler thread) or a job that stopped moving is not.
 */
public final class ProgressWatchdog {

    private final String name;
    private final Duration bound;
    private final Clock clock;
    private volatile Instant lastProgress;
    private volatile String working;

    public ProgressWatchdog(String name, Duration bound, Clock clock) {
        if (bound.isNegative() || bound.isZero()) {
            throw new IllegalArgumentException(name + ": the stuck-after bound must be positive, got " + bound);
        }
        this.name = name;
        this.bound = bound;
        this.clock = clock;
        this.lastProgress = clock.instant();
    }

    /** A pass that found no work: the loop is alive and has nothing to do. */
    public void idle() {
        working = null;
        lastProgress = clock.instant();
    }

    /** Work started or moved on; {@code what} names it in the health data while it lasts. */
    public void working(String what) {
        working = what;
        lastProgress = clock.instant();
    }

    /** The current work moved on. */
    public void progressed() {
        lastProgress = clock.instant();
    }

    public String name() {
        return name;
    }

    public Duration bound() {
        return bound;
    }

    public Instant lastProgress() {
        return lastProgress;
    }

    /** Seconds since the last report. */
    public double secondsSinceProgress() {
        return Math.max(0, Duration.between(lastProgress, clock.instant()).toMillis() / 1000.0);
    }

    /** Why the loop is stuck, if it is: nothing reported for longer than its bound. */
    public Optional<String> stuck() {
        Instant last = lastProgress;
        if (!last.plus(bound).isBefore(clock.instant())) {
            return Optional.empty();
        }
        String what = working;
        return Optional.of("no progress since " + last + " (bound " + bound + ")"
                + (what == null ? ": the loop has not passed" : " while working on " + what));
    }
}
