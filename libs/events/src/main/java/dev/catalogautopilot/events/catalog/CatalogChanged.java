package dev.catalogautopilot.events.catalog;

import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.EventType;
import dev.catalogautopilot.events.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The watcher saw the upstream of a catalog change (or was asked to rebuild it); starts a pipeline run.
 *
 * @param catalog          catalog name
 * @param source           the upstream that was watched
 * @param trigger          polling or a manual request
 * @param revision         fingerprint of the whole upstream now
 * @param previousRevision fingerprint at the last published change, null on the first observation
 * @param packages         every package upstream now (App Registry); empty for an index image
 * @param added            packages new since {@code previousRevision}
 * @param updated          packages whose fingerprint changed
 * @param removed          packages gone since {@code previousRevision}
 * @param indexImage       the index image's digests; null for an App Registry source
 * @param detectedAt       when the watcher saw the change
 */
public record CatalogChanged(
        String catalog,
        UpstreamSource source,
        WatchTrigger trigger,
        String revision,
        String previousRevision,
        List<PackageSnapshot> packages,
        List<PackageChange> added,
        List<PackageChange> updated,
        List<PackageChange> removed,
        IndexImageChange indexImage,
        Instant detectedAt) implements EventData {

    public static final EventType<CatalogChanged> TYPE = new EventType<>(
            "dev.catalogautopilot.catalog.changed.v1", CatalogChanged.class, Topics.CATALOG_CHANGES);

    public CatalogChanged {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(revision, "revision");
        packages = List.copyOf(Objects.requireNonNullElse(packages, List.of()));
        added = List.copyOf(Objects.requireNonNullElse(added, List.of()));
        updated = List.copyOf(Objects.requireNonNullElse(updated, List.of()));
        removed = List.copyOf(Objects.requireNonNullElse(removed, List.of()));
    }
}
