package dev.catalogautopilot.testing.scale;

import dev.catalogautopilot.testing.Fixtures;
import dev.catalogautopilot.testing.registry.LocalRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Generates a scale catalog and, with {@code --push}, pushes its images into a fresh local docker-registry, printing
 * how long each step took: {@code ScaleCatalogMain <outDir> <size> [--push] [--threads N]}.
 */
public final class ScaleCatalogMain {

    private ScaleCatalogMain() {
    }

    public static void main(String[] args) {
        Path out = Path.of(args[0]);
        ScaleSpec spec = ScaleSpec.parse(args[1]);
        List<String> flags = List.of(args).subList(2, args.length);
        int threads = flags.contains("--threads") ? Integer.parseInt(flags.get(flags.indexOf("--threads") + 1))
                : TinyImagePusher.DEFAULT_THREADS;
        try (LocalRegistry registry = flags.contains("--push") ? LocalRegistry.start() : null) {
            String host = registry != null ? registry.host() : "upstream.invalid:5000";
            long start = System.nanoTime();
            ScaleCatalog catalog = ScaleCatalogGenerator.generate(spec, Fixtures.operators(), host, out);
            System.out.printf("generated %s into %s in %.1f s%n", spec, out, seconds(System.nanoTime() - start));
            if (registry != null) {
                TinyImagePusher.Pushed pushed = TinyImagePusher.push(registry.client(), host, catalog.images(),
                        threads, System.out::println);
                System.out.printf("pushed %d images in %d repositories in %.1f s (blobs %.1f s, manifests %.1f s,"
                                + " %d threads)%n", pushed.images(), pushed.repositories(), seconds(pushed.total()),
                        seconds(pushed.blobs()), seconds(pushed.manifests()), threads);
            }
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double seconds(Duration duration) {
        return seconds(duration.toNanos());
    }
}
