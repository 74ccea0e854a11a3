package dev.catalogautopilot.registry;

import java.util.Objects;

/** What a registry says about a manifest or blob: its media type, digest and size in bytes. */
public record Descriptor(String mediaType, Digest digest, long size) {

    public Descriptor {
        Objects.requireNonNull(digest, "digest");
    }

    /** Whether this describes a multi-platform index. */
    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }
}
