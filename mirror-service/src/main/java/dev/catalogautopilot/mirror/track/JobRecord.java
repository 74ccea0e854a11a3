package dev.catalogautopilot.mirror.track;

import dev.catalogautopilot.events.mirror.MirrorStats;

/**
 * One job as the tracker knows it from {@code mirror.results}.
 *
 * @param source       source image
 * @param target       target reference
 * @param catalogImage whether this is the catalog image
 * @param result       {@code DONE}, {@code FAILED}, or null while no result arrived
 * @param digest       the mirrored digest when done
 * @param error        the last error when failed
 * @param stats        what the copy cost
 */
public record JobRecord(String source, String target, boolean catalogImage, String result, String digest,
                        String error, MirrorStats stats) {
}
