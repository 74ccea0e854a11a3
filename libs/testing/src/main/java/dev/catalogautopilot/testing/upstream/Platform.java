package dev.catalogautopilot.testing.upstream;

import java.util.Objects;

/** An image platform such as {@code linux/amd64} or {@code linux/arm/v7}. */
public record Platform(String os, String architecture, String variant) {

    public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", null);
    public static final Platform LINUX_ARM64 = new Platform("linux", "arm64", null);
    public static final Platform LINUX_PPC64LE = new Platform("linux", "ppc64le", null);
    public static final Platform LINUX_S390X = new Platform("linux", "s390x", null);

    public Platform {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
    }

    /** Parses {@code os/architecture[/variant]}. */
    public static Platform parse(String text) {
        String[] parts = text.split("/");
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("Platform '" + text + "' is not os/architecture[/variant]");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
