package dev.catalogautopilot.watcher.source;

import dev.catalogautopilot.watcher.config.WatcherConfig;
import dev.catalogautopilot.watcher.appregistry.AppRegistryReader;
import dev.catalogautopilot.watcher.change.PackageFilter;
import dev.catalogautopilot.events.catalog.PackageSnapshot;
import dev.catalogautopilot.watcher.change.UpstreamSnapshot;
import java.net.URI;
import java.util.Map;

/** An App Registry namespace, watched package by package. */
public record AppRegistrySource(URI url, String namespace, PackageFilter filter, AppRegistryReader reader)
        implements UpstreamSource {

    @Override
    public WatcherConfig.SourceType kind() {
        return WatcherConfig.SourceType.APP_REGISTRY;
    }

    @Override
    public String location() {
        return url + " namespace " + namespace;
    }

    @Override
    public UpstreamSnapshot snapshot(Map<String, PackageSnapshot> known) {
        return reader.read(filter, known);
    }
}
