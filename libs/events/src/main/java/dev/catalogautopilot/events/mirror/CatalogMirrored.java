package dev.catalogautopilot.events.mirror;

import dev.catalogautopilot.events.ContentRef;
import dev.catalogautopilot.events.ContentTypes;
import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.Topics;
import java.time.Instant;
import java.util.Objects;

/**
 * Every image of a built catalog is in the mirror: the catalog is ready to roll out.
 *
 * @param catalog                  catalog name
 * @param planId                   the plan that finished
 * @param catalogImage             the catalog image in the mirror, with digest
 * @param sourceCatalogImage       the built catalog image it was mirrored from ({@code catalog.built.v1} image)
 * @param imageContentSourcePolicy {@code operator.openshift.io/v1alpha1} ImageContentSourcePolicy, YAML, as content of
 *                                 the plan's artifact ({@link ContentTypes#IMAGE_CONTENT_SOURCE_POLICY})
 * @param imageDigestMirrorSet     {@code config.openshift.io/v1} ImageDigestMirrorSet, YAML (OpenShift 4.13+), as content
 *                                 ({@link ContentTypes#IMAGE_DIGEST_MIRROR_SET})
 * @param mapping                  every mirrored image, sorted by source: {@code mapping.txt} as content
 *                                 ({@link ContentTypes#MAPPING})
 * @param stats                    totals over every job of the plan
 * @param images                   how many images the plan mirrored
 * @param imagesReused             of those, how many an earlier plan had copied to the same target, so this plan
 *                                 neither copied nor checked them again (0 in events written before it was added)
 * @param builtAt                  the time of the {@code catalog.built.v1} event this plan mirrored: plans of one
 *                                 catalog may finish out of build order, and rollout-service never rolls an older
 *                                 build out over a newer one (null in events written before it was added)
 */
public record CatalogMirrored(
        String catalog,
        String planId,
        String catalogImage,
        String sourceCatalogImage,
        ContentRef imageContentSourcePolicy,
        ContentRef imageDigestMirrorSet,
        ContentRef mapping,
        MirrorStats stats,
        int images,
        int imagesReused,
        Instant builtAt) implements EventData {

    public static final EventType<CatalogMirrored> TYPE = new EventType<>(
            "dev.catalogautopilot.catalog.mirrored.v1", CatalogMirrored.class, Topics.CATALOG_MIRRORED);

    public CatalogMirrored {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(catalogImage, "catalogImage");
        Objects.requireNonNull(imageContentSourcePolicy, "imageContentSourcePolicy");
        Objects.requireNonNull(imageDigestMirrorSet, "imageDigestMirrorSet");
        Objects.requireNonNull(mapping, "mapping");
        stats = Objects.requireNonNullElse(stats, MirrorStats.ZERO);
    }
}
