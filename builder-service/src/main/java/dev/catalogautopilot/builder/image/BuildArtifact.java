package dev.catalogautopilot.builder.image;

import dev.catalogautopilot.events.ContentRef;
import dev.catalogautopilot.events.ContentTypes;
import dev.catalogautopilot.events.EventJson;
import dev.catalogautopilot.events.catalog.CatalogDiff;
import dev.catalogautopilot.registry.ContentArtifacts;
import dev.catalogautopilot.registry.ContentArtifacts.Part;
import dev.catalogautopilot.registry.ContentArtifacts.Stored;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.RegistryClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a build publishes beside its catalog image, for the build event to name rather than carry: the referenced
 * images and the whole catalog diff, as an OCI artifact in the catalog image's repository, tagged
 * {@code sha256-<catalog index hex>.build}.
 */
public final class BuildArtifact {

    static final String REFERENCED = "referenced-images.txt";
    static final String DIFF = "catalog-diff.json";

    private BuildArtifact() {
    }

    /**
     * The parts of a build's artifact, as the event names them.
     *
     * @param referencedImages the referenced images' content
     * @param diff             the diff as the event carries it: a preview naming the whole
     */
    public record Published(ContentRef referencedImages, CatalogDiff diff) {
    }

    public static Published publish(RegistryClient registry, ImageReference catalogImage, List<String> referenced,
                                    CatalogDiff diff) {
        StringBuilder images = new StringBuilder();
        referenced.forEach(image -> images.append(image).append('\n'));
        Map<String, Part> parts = new LinkedHashMap<>();
        parts.put(REFERENCED, Part.text(ContentTypes.REFERENCED_IMAGES, images.toString()));
        parts.put(DIFF, new Part(ContentTypes.CATALOG_DIFF, EventJson.toBytes(diff)));
        Map<String, Stored> stored = new ContentArtifacts(registry).push(catalogImage.repositoryRef(),
                ContentTypes.attachmentTag(catalogImage.digest().value(), "build"), ContentTypes.BUILD_ARTIFACT,
                parts);
        Stored imagesBlob = stored.get(REFERENCED);
        Stored diffBlob = stored.get(DIFF);
        return new Published(
                new ContentRef(imagesBlob.reference(), imagesBlob.mediaType(), imagesBlob.size(), referenced.size()),
                diff.preview(new ContentRef(diffBlob.reference(), diffBlob.mediaType(), diffBlob.size(),
                        diff.totals().bundlesAdded() + diff.totals().bundlesRemoved()
                                + diff.totals().channelHeadsChanged() + diff.totals().relatedImagesAdded()
                                + diff.totals().relatedImagesRemoved())));
    }
}
