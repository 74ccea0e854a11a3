package dev.catalogautopilot.builder.fbc;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** An image a bundle needs; {@code name} is optional. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record RelatedImage(String name, String image) {

    public RelatedImage {
        Objects.requireNonNull(image, "image");
        name = name == null || name.isBlank() ? null : name;
    }
}
