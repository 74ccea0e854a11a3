package dev.catalogautopilot.events.catalog;

import java.util.Objects;

/**
 * One platform's image inside a built catalog's OCI index.
 *
 * @param os           e.g. {@code linux}
 * @param architecture e.g. {@code amd64}
 * @param variant      e.g. {@code v8} for arm64, otherwise null
 * @param digest       digest of this platform's manifest
 */
public record PlatformImage(String os, String architecture, String variant, String digest) {
    public PlatformImage {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(digest, "digest");
    }
}
