package dev.catalogautopilot.events.catalog;

import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.Topics;
import java.util.List;
import java.util.Objects;

/**
 * The builder could not produce an image for an upstream revision.
 *
 * @param catalog        catalog name
 * @param sourceRevision the {@link CatalogChanged#revision()} that failed
 * @param reason         one line: what failed
 * @param details        further lines, e.g. every validation error
 */
public record CatalogBuildFailed(String catalog, String sourceRevision, String reason, List<String> details)
        implements EventData {

    public static final EventType<CatalogBuildFailed> TYPE = new EventType<>(
            "dev.catalogautopilot.catalog.build-failed.v1", CatalogBuildFailed.class, Topics.CATALOG_BUILDS);

    public CatalogBuildFailed {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(reason, "reason");
        details = List.copyOf(Objects.requireNonNullElse(details, List.of()));
    }
}
