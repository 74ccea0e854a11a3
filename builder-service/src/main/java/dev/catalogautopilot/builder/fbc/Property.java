package dev.catalogautopilot.builder.fbc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** A bundle property such as {@code olm.package}, {@code olm.gvk} or {@code olm.bundle.object}. */
public record Property(String type, JsonNode value) {

    public static final String PACKAGE = "olm.package";
    public static final String GVK = "olm.gvk";
    public static final String GVK_REQUIRED = "olm.gvk.required";
    public static final String PACKAGE_REQUIRED = "olm.package.required";
    public static final String BUNDLE_OBJECT = "olm.bundle.object";

    public Property {
        Objects.requireNonNull(type, "type");
        value = value == null ? null : CanonicalJson.sorted(value);
    }
}
