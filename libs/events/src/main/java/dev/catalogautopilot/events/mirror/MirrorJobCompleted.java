package dev.catalogautopilot.events.mirror;

import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.Topics;
import java.util.Objects;

/**
 * A worker copied one image; also published when the target already had it (then nothing was copied).
 *
 * @param planId  the plan
 * @param catalog catalog name
 * @param source  source image by digest
 * @param target  target reference
 * @param digest  digest of the image at the target; equals the source digest
 * @param stats   what the copy cost
 * @param worker  the worker instance that did it
 */
public record MirrorJobCompleted(
        String planId,
        String catalog,
        String source,
        String target,
        String digest,
        MirrorStats stats,
        String worker) implements MirrorJobResult {

    public static final EventType<MirrorJobCompleted> TYPE = new EventType<>(
            "dev.catalogautopilot.mirror.job.completed.v1", MirrorJobCompleted.class, Topics.MIRROR_RESULTS);

    public MirrorJobCompleted {
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(digest, "digest");
        stats = Objects.requireNonNullElse(stats, MirrorStats.ZERO);
    }
}
