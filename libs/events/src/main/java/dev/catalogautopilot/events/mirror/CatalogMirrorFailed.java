package dev.catalogautopilot.events.mirror;

import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.Topics;
import java.util.List;
import java.util.Objects;

/**
 * A plan finished with images missing from the mirror; the catalog must not roll out.
 *
 * @param catalog      catalog name
 * @param planId       the plan
 * @param failedImages every image that failed, sorted by source
 * @param reason       one line summary
 */
public record CatalogMirrorFailed(String catalog, String planId, List<FailedImage> failedImages, String reason)
        implements EventData {

    public static final EventType<CatalogMirrorFailed> TYPE = new EventType<>(
            "dev.catalogautopilot.catalog.mirror-failed.v1", CatalogMirrorFailed.class, Topics.CATALOG_MIRRORED);

    public CatalogMirrorFailed {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(reason, "reason");
        failedImages = List.copyOf(Objects.requireNonNullElse(failedImages, List.of()));
    }
}
