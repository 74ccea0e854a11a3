package dev.catalogautopilot.mirror.track;

import dev.catalogautopilot.events.mirror.MirrorStats;

/**
 * One job of a plan as the database holds it when the plan is decided.
 *
 * @param source       source image
 * @param target       target reference
 * @param catalogImage whether this is the catalog image
 * @param result       {@code DONE}, {@code FAILED}, or null while the job is unfinished
 * @param digest       the mirrored digest when done
 * @param error        the last error when failed
 * @param stats        what the copy cost
 * @param reused       whether an earlier plan's copy was reused instead of copying or checking again
 */
public record JobRecord(String source, String target, boolean catalogImage, String result, String digest,
                        String error, MirrorStats stats, boolean reused) {
}
