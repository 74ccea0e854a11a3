package dev.catalogautopilot.testing.upstream;

import java.util.List;
import java.util.Objects;

/** The content of a single-platform image: its config and its layers, bottom first. */
public record PlatformImage(ImageConfig config, List<Layer> layers) {

    public PlatformImage {
        Objects.requireNonNull(config, "config");
        layers = List.copyOf(layers);
    }

    public Platform platform() {
        return config.platform();
    }

    /** The serialised config. */
    public byte[] configJson() {
        return config.toJson(layers);
    }
}
