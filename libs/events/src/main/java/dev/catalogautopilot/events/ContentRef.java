package dev.catalogautopilot.events;

import java.util.Objects;

/**
 * Content an event names instead of carrying, so that no event grows with the catalog: a blob of a
 * content-addressed OCI artifact in a registry (docs/architecture.md, "Large content"). Readers fetch
 * {@code reference}, refuse it unless its bytes match the digest and {@code size}, and so read exactly what the
 * event (and its hash chain) committed to.
 *
 * @param reference {@code registry/repository@sha256:…} of the blob
 * @param mediaType what the blob holds, one of {@link ContentTypes}
 * @param size      the blob's length in bytes
 * @param entries   how many entries (lines, documents or items) it holds
 */
public record ContentRef(String reference, String mediaType, long size, int entries) {

    public ContentRef {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(mediaType, "mediaType");
        if (size < 0 || entries < 0) {
            throw new IllegalArgumentException("content size and entries must not be negative");
        }
    }
}
