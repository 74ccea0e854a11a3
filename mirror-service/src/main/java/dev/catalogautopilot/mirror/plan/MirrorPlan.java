package dev.catalogautopilot.mirror.plan;

import java.util.List;

/**
 * What mirroring a built catalog takes: every image with its target (sorted by source, the catalog image
 * included), the references that cannot be mirrored, and the documents clusters need.
 *
 * @param images                   every image to copy, sorted by source
 * @param rejected                 references left out, each with its reason
 * @param mappingTxt               {@code mapping.txt}: one {@code source=target} line per image
 * @param imageContentSourcePolicy the ImageContentSourcePolicy YAML
 * @param imageDigestMirrorSet     the ImageDigestMirrorSet YAML
 */
public record MirrorPlan(
        List<PlannedImage> images,
        List<RejectedReference> rejected,
        String mappingTxt,
        String imageContentSourcePolicy,
        String imageDigestMirrorSet) {

    public MirrorPlan {
        images = List.copyOf(images);
        rejected = List.copyOf(rejected);
    }

    /** The catalog image's entry. */
    public PlannedImage catalogImage() {
        return images.stream().filter(PlannedImage::catalogImage).findFirst()
                .orElseThrow(() -> new IllegalStateException("plan without catalog image"));
    }
}
