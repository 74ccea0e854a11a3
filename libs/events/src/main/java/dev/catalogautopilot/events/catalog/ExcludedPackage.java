package dev.catalogautopilot.events.catalog;

import java.util.Objects;

/**
 * A package the builder left out of the catalog, and why; the old build dropped these silently.
 *
 * @param name   package name
 * @param reason why it was rejected, e.g. the validation rule it broke
 */
public record ExcludedPackage(String name, String reason) {
    public ExcludedPackage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reason, "reason");
    }
}
