package dev.catalogautopilot.events.catalog;

import dev.catalogautopilot.events.ContentRef;
import dev.catalogautopilot.events.ContentTypes;
import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.Topics;
import java.util.List;
import java.util.Objects;

/**
 * The builder pushed a catalog image for an upstream revision.
 *
 * @param catalog          catalog name
 * @param sourceRevision   the {@link CatalogChanged#revision()} this image was built from
 * @param image            the pushed image with its digest, e.g.
 *                         {@code mirror.example/olm/redhat-operators:v2@sha256:…}
 * @param platforms        one entry per platform of the image's index
 * @param counts           packages, channels and bundles in the catalog
 * @param excludedPackages packages left out, each with its reason
 * @param referencedImages every image the catalog references (bundle images and related images), one per line,
 *                         sorted, as content of the build's artifact ({@link ContentTypes#REFERENCED_IMAGES})
 * @param diff             the change against the previous build, its lists cut to a preview; the whole diff is
 *                         {@link CatalogDiff#full()}
 */
public record CatalogBuilt(
        String catalog,
        String sourceRevision,
        String image,
        List<PlatformImage> platforms,
        CatalogCounts counts,
        List<ExcludedPackage> excludedPackages,
        ContentRef referencedImages,
        CatalogDiff diff) implements EventData {

    public static final EventType<CatalogBuilt> TYPE = new EventType<>(
            "dev.catalogautopilot.catalog.built.v1", CatalogBuilt.class, Topics.CATALOG_BUILDS);

    public CatalogBuilt {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(image, "image");
        platforms = List.copyOf(Objects.requireNonNullElse(platforms, List.of()));
        excludedPackages = List.copyOf(Objects.requireNonNullElse(excludedPackages, List.of()));
        Objects.requireNonNull(referencedImages, "referencedImages");
    }
}
