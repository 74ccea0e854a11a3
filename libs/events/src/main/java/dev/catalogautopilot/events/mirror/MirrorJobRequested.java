package dev.catalogautopilot.events.mirror;

import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.Topics;
import java.util.Objects;

/**
 * The planner asks a worker to copy one image, whole (every platform, manifests byte for byte). Keyed on
 * {@link Topics#MIRROR_JOBS} by the source repository.
 *
 * @param planId  the mirror plan this job belongs to; one plan per built catalog image
 * @param catalog catalog name
 * @param source  source image by digest, e.g. {@code quay.io/strimzi/operator@sha256:…}
 * @param target  target reference; a tag derived from the digest when the source has none
 * @param attempt 1 for the first request, incremented when the planner re-drives the job
 */
public record MirrorJobRequested(String planId, String catalog, String source, String target, int attempt)
        implements EventData {

    public static final EventType<MirrorJobRequested> TYPE = new EventType<>(
            "dev.catalogautopilot.mirror.job.requested.v1", MirrorJobRequested.class, Topics.MIRROR_JOBS);

    public MirrorJobRequested {
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
    }
}
