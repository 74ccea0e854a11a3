package dev.catalogautopilot.events.catalog;

import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.Topics;
import java.time.Instant;
import java.util.Objects;

/**
 * The watcher could not read a catalog's upstream.
 *
 * @param catalog             catalog name
 * @param source              the upstream that failed
 * @param error               what went wrong, without credentials
 * @param consecutiveFailures failed polls in a row, this one included
 * @param since               when the first of those failures happened
 */
public record CatalogWatchFailed(
        String catalog,
        UpstreamSource source,
        String error,
        int consecutiveFailures,
        Instant since) implements EventData {

    public static final EventType<CatalogWatchFailed> TYPE = new EventType<>(
            "dev.catalogautopilot.catalog.watch-failed.v1", CatalogWatchFailed.class, Topics.CATALOG_CHANGES);

    public CatalogWatchFailed {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(error, "error");
    }
}
