package dev.catalogautopilot.events.catalog;

import java.util.Objects;

/**
 * The digest an index image's tag resolved to, now and at the previous revision.
 *
 * @param reference      the watched reference, usually a tag
 * @param previousDigest digest at the previous revision, null on the first observation
 * @param digest         digest the tag resolves to now (manifest list, OCI index or manifest)
 */
public record IndexImageChange(String reference, String previousDigest, String digest) {
    public IndexImageChange {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(digest, "digest");
    }
}
