package dev.catalogautopilot.watcher.rest;

import java.time.Duration;
import java.time.Instant;

/** What the watcher knows about one catalog, as the status endpoint shows it. */
public record CatalogStatus(
        String name,
        String sourceType,
        String source,
        Duration pollInterval,
        Instant lastPollAt,
        Instant lastSuccessAt,
        Instant lastChangeAt,
        String revision,
        Integer packages,
        String lastError,
        Instant lastErrorAt,
        int consecutiveFailures) {
}
