package dev.catalogautopilot.events.mirror;

import dev.catalogautopilot.events.EventData;

/** The final outcome of one mirror job, as the tracker reads it from {@code mirror.results}. */
public sealed interface MirrorJobResult extends EventData permits MirrorJobCompleted, MirrorJobFailed {

    /** The plan the job belongs to. */
    String planId();

    /** Source image by digest; with {@link #planId()} it identifies the job. */
    String source();

    /** Target reference. */
    String target();
}
