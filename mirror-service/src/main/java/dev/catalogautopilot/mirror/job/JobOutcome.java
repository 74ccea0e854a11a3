package dev.catalogautopilot.mirror.job;

import dev.catalogautopilot.mirror.copy.CopyResult;

/**
 * How a leased job ended on this instance, waiting to be recorded with the next batch.
 *
 * @param job    the job
 * @param result the copy, when it succeeded
 * @param error  why it failed for good, when it did not
 */
public record JobOutcome(LeasedJob job, CopyResult result, String error) {

    public static JobOutcome copied(LeasedJob job, CopyResult result) {
        return new JobOutcome(job, result, null);
    }

    public static JobOutcome failed(LeasedJob job, String error) {
        return new JobOutcome(job, null, error);
    }

    public boolean succeeded() {
        return result != null;
    }

    /** The job's key on this instance: plan and source. */
    public String key() {
        return job.planId() + " " + job.source();
    }
}
