package dev.catalogautopilot.builder.build;

import java.time.Duration;
import java.time.Instant;

/**
 * What the reconciler does with an open job: a running job whose lease expired lost its worker (a crash, a kill, an
 * out-of-memory exit) or made no progress for a whole lease, and runs again until its attempts are used up; a job
 * past its deadline fails whatever its state. Attempts are counted when a job is leased, so a job that kills every
 * worker that takes it still ends.
 */
public sealed interface StuckJob {

    /** Not stuck: leave it to its runner. */
    record Healthy() implements StuckJob {
    }

    /** Queue it again for another attempt. */
    record Requeue(String reason) implements StuckJob {
    }

    /** Fail it with this reason and its build-failed event. */
    record Fail(String reason) implements StuckJob {
    }

    /** Why a job past its deadline failed. */
    static String pastDeadline(Duration deadline, int attempts, int maxAttempts) {
        return "the build exceeded its deadline of " + deadline.toString().substring(2).toLowerCase() + " (attempt "
                + attempts + " of " + maxAttempts + ")";
    }

    /** The decision for one open job at {@code now}. */
    static StuckJob decide(BuildJob.Status status, int attempts, Instant leaseUntil, Instant deadlineAt, Instant now,
            int maxAttempts, Duration deadline) {
        if (status != BuildJob.Status.QUEUED && status != BuildJob.Status.RUNNING) {
            return new Healthy();
        }
        if (deadlineAt != null && now.isAfter(deadlineAt)) {
            return new Fail(pastDeadline(deadline, attempts, maxAttempts));
        }
        boolean leaseLost = status == BuildJob.Status.RUNNING && (leaseUntil == null || now.isAfter(leaseUntil));
        if (!leaseLost) {
            return new Healthy();
        }
        String lost = "the build's worker stopped (crashed, killed or out of memory) or made no progress during "
                + "attempt " + attempts;
        if (attempts >= maxAttempts) {
            return new Fail(lost + "; gave up after " + attempts + " attempts");
        }
        return new Requeue(lost + "; queued for attempt " + (attempts + 1) + " of " + maxAttempts);
    }
}
