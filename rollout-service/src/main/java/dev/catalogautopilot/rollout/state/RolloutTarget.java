package dev.catalogautopilot.rollout.state;

import dev.catalogautopilot.rollout.fleet.CatalogSourceSpec;
import java.util.Objects;

/**
 * What a rollout puts on every cluster, stored with it so a restart uses the same values.
 *
 * @param image                    the mirrored catalog image, by digest
 * @param catalogSource            the CatalogSource it goes into
 * @param imageContentSourcePolicy the event's ICSP document, or null
 * @param imageDigestMirrorSet     the event's IDMS document, or null
 */
public record RolloutTarget(String image, CatalogSourceSpec catalogSource, String imageContentSourcePolicy,
        String imageDigestMirrorSet) {

    public RolloutTarget {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(catalogSource, "catalogSource");
    }
}
