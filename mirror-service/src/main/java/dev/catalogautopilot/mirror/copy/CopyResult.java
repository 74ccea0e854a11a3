package dev.catalogautopilot.mirror.copy;

import dev.catalogautopilot.events.mirror.MirrorStats;
import dev.catalogautopilot.registry.Digest;

/**
 * The outcome of copying one image.
 *
 * @param digest  the image's digest, the same at source and target
 * @param stats   what the copy cost
 * @param skipped whether the target already had the image under its target reference (nothing was written)
 */
public record CopyResult(Digest digest, MirrorStats stats, boolean skipped) {
}
