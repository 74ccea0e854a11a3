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
 * @param failedImages the first {@link #PREVIEW} images that failed, sorted by source; the mirror's
 *                     {@code GET /plans/{planId}/jobs?state=FAILED} lists them all
 * @param failedCount  how many images failed
 * @param reason       one line summary
 */
public record CatalogMirrorFailed(String catalog, String planId, List<FailedImage> failedImages, int failedCount,
                                  String reason)
        implements EventData {

    public static final EventType<CatalogMirrorFailed> TYPE = new EventType<>(
            "dev.catalogautopilot.catalog.mirror-failed.v1", CatalogMirrorFailed.class, Topics.CATALOG_MIRRORED);

    /** Most failed images an event lists. */
    public static final int PREVIEW = 50;

    public CatalogMirrorFailed {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(reason, "reason");
        failedImages = List.copyOf(Objects.requireNonNullElse(failedImages, List.of()));
        if (failedImages.size() > PREVIEW) {
            failedImages = failedImages.subList(0, PREVIEW);
        }
    }
}
