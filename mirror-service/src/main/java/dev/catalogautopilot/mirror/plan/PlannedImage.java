package dev.catalogautopilot.mirror.plan;

import dev.catalogautopilot.registry.ImageReference;
import java.util.Objects;

/**
 * One image of a plan: copied from {@code source} to {@code target}.
 *
 * @param source       the source as referenced, canonical form
 * @param target       where it goes, always with a tag
 * @param catalogImage whether this is the catalog image itself
 */
public record PlannedImage(ImageReference source, ImageReference target, boolean catalogImage) {

    public PlannedImage {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
    }

    /** The {@code mapping.txt} line, {@code source=target}. */
    public String mappingLine() {
        return source + "=" + target;
    }
}
