package dev.catalogautopilot.events.mirror;

import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.Topics;
import java.util.Objects;

/**
 * A worker gave up on one image after its retries.
 *
 * @param planId   the plan
 * @param catalog  catalog name
 * @param source   source image by digest
 * @param target   target reference
 * @param error    the last error, without credentials
 * @param attempts how many times the copy was tried
 */
public record MirrorJobFailed(String planId, String catalog, String source, String target, String error, int attempts)
        implements MirrorJobResult {

    public static final EventType<MirrorJobFailed> TYPE = new EventType<>(
            "dev.catalogautopilot.mirror.job.failed.v1", MirrorJobFailed.class, Topics.MIRROR_RESULTS);

    public MirrorJobFailed {
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(error, "error");
    }
}
