package dev.catalogautopilot.testing.content;

import dev.catalogautopilot.events.ContentRef;
import dev.catalogautopilot.events.ContentTypes;
import dev.catalogautopilot.events.EventJson;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.catalog.CatalogDiff;
import dev.catalogautopilot.registry.ContentArtifacts;
import dev.catalogautopilot.registry.ContentArtifacts.Part;
import dev.catalogautopilot.registry.ContentArtifacts.Stored;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.testing.upstream.ImagePusher;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The content events name ({@link ContentRef}) as tests read and write it in loopback registries: reading what a
 * service published, and publishing a build's referenced images as the builder would, for tests that publish
 * build events themselves. The layout written here is an independent copy of the builder's, on purpose: a test
 * that publishes with it checks that the mirror reads what the contract says, not what the builder happens to do.
 */
public final class EventContent {

    private static final ContentArtifacts CONTENT = new ContentArtifacts(ImagePusher.loopback().client());

    private EventContent() {
    }

    /** The content's bytes as text, checked against its digest and size. */
    public static String text(ContentRef ref) {
        return CONTENT.readText(ref.reference(), ref.size(), ContentTypes.MAX_CONTENT_BYTES);
    }

    /** Its non-blank lines. */
    public static List<String> lines(ContentRef ref) {
        return text(ref).lines().filter(line -> !line.isBlank()).toList();
    }

    /** Every image a build references. */
    public static List<String> referencedImages(CatalogBuilt built) {
        return lines(built.referencedImages());
    }

    /** The whole diff of a build, not only the preview its event carries. */
    public static CatalogDiff fullDiff(CatalogBuilt built) {
        return EventJson.read(text(built.diff().full()), CatalogDiff.class);
    }

    /**
     * Publishes {@code text} as a one-part artifact beside {@code anchor} (an image by digest), tagged after the
     * media type, as a service publishes content its events name; returns the part's reference.
     */
    public static ContentRef publishText(ImageReference anchor, String mediaType, String text, int entries) {
        String name = "content";
        Stored stored = CONTENT.push(anchor.repositoryRef(), ContentTypes.attachmentTag(anchor.digest().value(),
                        Integer.toHexString(mediaType.hashCode())), "application/vnd.catalogautopilot.test.v1",
                Map.of(name, Part.text(mediaType, text))).get(name);
        return new ContentRef(stored.reference(), stored.mediaType(), stored.size(), entries);
    }

    /** Publishes {@code referenced} beside {@code catalogImage} (by digest) as a build's artifact; returns its reference. */
    public static ContentRef publishReferencedImages(ImageReference catalogImage, Collection<String> referenced) {
        StringBuilder text = new StringBuilder();
        referenced.stream().sorted().forEach(image -> text.append(image).append('\n'));
        Map<String, Stored> stored = CONTENT.push(catalogImage.repositoryRef(),
                ContentTypes.attachmentTag(catalogImage.digest().value(), "build"), ContentTypes.BUILD_ARTIFACT,
                Map.of("referenced-images.txt", Part.text(ContentTypes.REFERENCED_IMAGES, text.toString())));
        Stored images = stored.get("referenced-images.txt");
        return new ContentRef(images.reference(), images.mediaType(), images.size(), referenced.size());
    }
}
