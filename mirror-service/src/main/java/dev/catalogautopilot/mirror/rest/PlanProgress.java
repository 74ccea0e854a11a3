package dev.catalogautopilot.mirror.rest;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A build's mirror progress.
 *
 * @param planId       the plan
 * @param catalog      catalog name
 * @param catalogImage the built catalog image being mirrored
 * @param state        RUNNING, MIRRORED or FAILED
 * @param images       images in the plan
 * @param done         images in the mirror
 * @param failed       images given up on
 * @param pending      images not finished yet
 * @param bytesCopied  blob bytes uploaded so far
 * @param rejected     references that cannot be mirrored, with the reason
 * @param createdAt    when the build was planned
 * @param completedAt  when the plan finished, or null
 */
public record PlanProgress(String planId, String catalog, String catalogImage, String state, int images, int done,
                           int failed, int pending, long bytesCopied, List<String> rejected,
                           OffsetDateTime createdAt, OffsetDateTime completedAt) {
}
