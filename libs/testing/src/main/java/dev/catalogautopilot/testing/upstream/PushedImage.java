package dev.catalogautopilot.testing.upstream;

import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.MediaTypes;

import java.util.List;
import java.util.Map;

/**
 * An image as pushed: the reference it was pushed to, its top manifest's digest and media type, its platforms,
 * each platform's manifest digest, and every blob (configs and layers) it references.
 */
public record PushedImage(ImageReference reference, Digest digest, String mediaType, List<Platform> platforms,
                          Map<Platform, Digest> platformManifests, List<Digest> blobs) {

    public PushedImage {
        platforms = List.copyOf(platforms);
        platformManifests = Map.copyOf(platformManifests);
        blobs = List.copyOf(blobs);
    }

    /** {@code registry/repository@digest}: how clusters and catalogs refer to it. */
    public ImageReference pinned() {
        return ImageReference.of(reference.registry(), reference.repository(), digest);
    }

    /** Whether the top manifest is a multi-platform index. */
    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }
}
