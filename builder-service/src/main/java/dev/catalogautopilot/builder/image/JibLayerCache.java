package dev.catalogautopilot.builder.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Keeps jib's application-layer cache of a catalog bounded: jib never evicts, and every build where a package
 * changed adds a layer. jib 0.27 keeps a layer under {@code layers/<digest hex>/} and maps each layer input
 * ({@code selectors/<selector hex>}, a file holding the layer's digest hex) to it.
 */
final class JibLayerCache {

    private static final Logger LOG = Logger.getLogger(JibLayerCache.class);

    private JibLayerCache() {
    }

    /** Deletes every cached layer, and every selector of one, that is not among {@code keep} ({@code sha256:...}). */
    static void retainOnly(Path cache, Set<String> keep) {
        Set<String> hexes = keep.stream().map(d -> d.substring(d.indexOf(':') + 1)).collect(Collectors.toSet());
        try {
            Path selectors = cache.resolve("selectors");
            if (Files.isDirectory(selectors)) {
                try (Stream<Path> files = Files.list(selectors)) {
                    for (Path selector : files.toList()) {
                        String layer = Files.readString(selector, StandardCharsets.UTF_8).trim();
                        if (!hexes.contains(layer)) {
                            Files.deleteIfExists(selector);
                        }
                    }
                }
            }
            Path layers = cache.resolve("layers");
            if (Files.isDirectory(layers)) {
                try (Stream<Path> dirs = Files.list(layers)) {
                    for (Path layer : dirs.toList()) {
                        if (!hexes.contains(layer.getFileName().toString())) {
                            CatalogImagePusher.deleteQuietly(layer);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // Only disk is at stake: the next build prunes again.
            LOG.warnf("could not prune jib's layer cache under %s: %s", cache, e.getMessage());
        }
    }
}
