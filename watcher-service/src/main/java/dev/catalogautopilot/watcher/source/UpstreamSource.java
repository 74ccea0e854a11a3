package dev.catalogautopilot.watcher.source;

import dev.catalogautopilot.events.catalog.PackageSnapshot;
import dev.catalogautopilot.watcher.change.UpstreamSnapshot;
import java.util.Map;

/** Where a catalog comes from; each kind knows how to take a snapshot of its current content. */
public sealed interface UpstreamSource permits AppRegistrySource, IndexImageSource {

    /** Which kind of upstream this is. */
    dev.catalogautopilot.watcher.config.WatcherConfig.SourceType kind();

    /** Human-readable location, e.g. {@code https://quay.io/cnr namespace redhat-operators}. */
    String location();

    /** One complete snapshot, or an exception: never a partial one. */
    UpstreamSnapshot snapshot(Map<String, PackageSnapshot> known);
}
