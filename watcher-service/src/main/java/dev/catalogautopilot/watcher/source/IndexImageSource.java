package dev.catalogautopilot.watcher.source;

import dev.catalogautopilot.watcher.config.WatcherConfig;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.registry.RegistryException;
import dev.catalogautopilot.events.catalog.PackageSnapshot;
import dev.catalogautopilot.watcher.change.UpstreamSnapshot;
import dev.catalogautopilot.watcher.poll.UpstreamException;
import java.util.Map;

/** An index image tag, watched by resolving it to its manifest digest (manifest lists and OCI indexes too). */
public record IndexImageSource(ImageReference image, RegistryClient registry) implements UpstreamSource {

    @Override
    public WatcherConfig.SourceType kind() {
        return WatcherConfig.SourceType.INDEX_IMAGE;
    }

    @Override
    public String location() {
        return image.toString();
    }

    @Override
    public UpstreamSnapshot snapshot(Map<String, PackageSnapshot> known) {
        try {
            return UpstreamSnapshot.ofIndexImage(registry.resolve(image).digest().toString());
        } catch (RegistryException e) {
            boolean transientFailure = e.statusCode() == 429 || e.statusCode() >= 500 || e.statusCode() <= 0;
            String message = "resolving " + image + ": " + e.getMessage();
            throw transientFailure ? UpstreamException.transientFailure(message, e)
                    : UpstreamException.badResponse(message, e);
        }
    }
}
