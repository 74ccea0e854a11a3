package dev.catalogautopilot.watcher.state;

import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.catalog.CatalogWatchFailed;
import dev.catalogautopilot.events.catalog.IndexImageChange;
import dev.catalogautopilot.events.catalog.PackageChange;
import dev.catalogautopilot.events.catalog.PackageSnapshot;
import dev.catalogautopilot.events.catalog.UpstreamSource.AppRegistry;
import dev.catalogautopilot.events.catalog.UpstreamSource.IndexImage;
import dev.catalogautopilot.events.catalog.WatchTrigger;
import dev.catalogautopilot.watcher.change.UpstreamChange;
import dev.catalogautopilot.watcher.change.UpstreamSnapshot;
import dev.catalogautopilot.watcher.config.WatcherConfig;
import dev.catalogautopilot.watcher.source.AppRegistrySource;
import dev.catalogautopilot.watcher.source.IndexImageSource;
import dev.catalogautopilot.watcher.source.UpstreamSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Turns what the watcher saw into the events it publishes. */
@ApplicationScoped
public class ChangeEvents {

    private final String eventSource;

    public ChangeEvents(WatcherConfig config) {
        this.eventSource = config.eventSource();
    }

    /**
     * A detected change. Its id derives from the catalog, the revisions and the state version it moves from, so
     * the same observation recorded again gets the same id.
     */
    public EventEnvelope<CatalogChanged> changed(String catalog, UpstreamSource source, UpstreamSnapshot previous,
            UpstreamSnapshot current, UpstreamChange change, long stateVersion, Instant now) {
        String previousRevision = previous == null ? null : previous.revision();
        CatalogChanged data = new CatalogChanged(catalog, contractSource(source), WatchTrigger.POLL,
                current.revision(), previousRevision, packages(current),
                change.added().stream().map(PackageChange::added).toList(),
                change.updated().stream().map(u -> PackageChange.updated(u.previous(), u.current())).toList(),
                change.removed().stream().map(PackageChange::removed).toList(),
                indexImage(source, change.previousIndexDigest(), change.indexDigest()), now);
        String originKey = previousRevision + ">" + current.revision() + "@" + stateVersion;
        return EventEnvelope.first(eventSource, catalog, data, originKey, clock(now));
    }

    /** A manual rebuild request: the current revision again, with nothing added, updated or removed. */
    public EventEnvelope<CatalogChanged> manual(String catalog, UpstreamSource source, UpstreamSnapshot current, String actor,
            Instant now) {
        CatalogChanged data = new CatalogChanged(catalog, contractSource(source), WatchTrigger.MANUAL,
                current.revision(), current.revision(), packages(current), List.of(), List.of(), List.of(),
                indexImage(source, current.indexDigest(), current.indexDigest()), now);
        return EventEnvelope.first(eventSource, catalog, data, clock(now));
    }

    public EventEnvelope<CatalogWatchFailed> watchFailed(String catalog, UpstreamSource source, String error, Instant now) {
        CatalogWatchFailed data = new CatalogWatchFailed(catalog, contractSource(source), error, 1, now);
        return EventEnvelope.first(eventSource, catalog, data, clock(now));
    }

    private static List<PackageSnapshot> packages(UpstreamSnapshot snapshot) {
        return List.copyOf(snapshot.packages().values());
    }

    private static IndexImageChange indexImage(UpstreamSource source, String previousDigest, String digest) {
        return source instanceof IndexImageSource image && digest != null
                ? new IndexImageChange(image.location(), previousDigest, digest) : null;
    }

    private static dev.catalogautopilot.events.catalog.UpstreamSource contractSource(UpstreamSource source) {
        if (source instanceof AppRegistrySource appRegistry) {
            return new AppRegistry(appRegistry.url().toString(), appRegistry.namespace());
        }
        return new IndexImage(source.location());
    }

    private static Clock clock(Instant now) {
        return Clock.fixed(now, ZoneOffset.UTC);
    }
}
