package dev.catalogautopilot.builder.image;

import java.util.Objects;

/** A platform as {@code os/architecture[/variant]}, the spelling of {@code --filter-by-os}. */
public record ImagePlatform(String os, String architecture, String variant) {

    public ImagePlatform {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
        variant = variant == null || variant.isBlank() ? null : variant;
    }

    public static ImagePlatform parse(String text) {
        String[] parts = text.trim().split("/");
        if (parts.length < 2 || parts.length > 3 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IllegalArgumentException("platform '" + text + "' is not os/architecture[/variant]");
        }
        return new ImagePlatform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** Whether {@code other} (from a base image) satisfies this selection; no variant selected accepts any. */
    public boolean accepts(ImagePlatform other) {
        return os.equals(other.os) && architecture.equals(other.architecture)
                && (variant == null || variant.equals(other.variant));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
