package dev.catalogautopilot.events.mirror;

import java.util.Objects;

/**
 * An image a plan could not mirror.
 *
 * @param source source image by digest
 * @param error  the worker's last error
 */
public record FailedImage(String source, String error) {
    public FailedImage {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(error, "error");
    }
}
