package dev.catalogautopilot.testing.scale;

import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.ImageReference;

/** One generated image: its repository (on whichever registry hosts it), tag, and manifest digest. */
public record ScaleImage(String repository, String tag, Digest digest) {

    /** {@code host/repository@digest}, how the generated CSVs reference it. */
    public ImageReference pinned(String host) {
        return ImageReference.of(host, repository, digest);
    }
}
