package dev.catalogautopilot.rollout.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A rollout and its progress; {@code waves} is present on the single-rollout view only.
 *
 * @param status RUNNING, COMPLETED, HALTED or SUPERSEDED; {@code paused} applies to RUNNING
 */
public record RolloutView(String id, String catalog, String image, String status, boolean paused, String supersedes,
        String supersededBy, String causedBy, Instant createdAt, Instant finishedAt, Progress progress,
        List<WaveDetail> waves) {

    /** Cluster counts by state. */
    public record Progress(int clusters, int updated, int inProgress, int pending, int failed, int cancelled) {
    }

    /** One wave, with its settings and clusters. */
    public record WaveDetail(int index, String name, String status, boolean requiresApproval, boolean approved,
            int maxParallel, Duration verificationDeadline, Duration soak, Instant startedAt, Instant completedAt,
            List<ClusterDetail> clusters) {
    }

    /** One cluster of a wave; {@code startedAt}/{@code finishedAt} bound the time it was being worked on. */
    public record ClusterDetail(String name, String state, String phase, String previousImage, String mirrorSet,
            Instant startedAt, Instant finishedAt, String reason) {
    }
}
