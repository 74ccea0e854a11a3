package dev.catalogautopilot.testing.upstream;

import dev.catalogautopilot.testing.registry.LocalRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A published simulated upstream: a synthetic image on the upstream registry for every image the fixture
 * manifests name, and a copy of those manifests whose references point at the pushed images by digest.
 */
public final class SimulatedUpstream implements AutoCloseable {

    private final LocalRegistry registry;
    private final Path root;
    private final Map<String, Path> copies;
    private final SortedMap<String, String> rewrites;
    private final Map<String, PushedImage> images;
    private final SortedMap<String, String> malformed;
    private final boolean shared;

    SimulatedUpstream(LocalRegistry registry, Path root, Map<String, Path> copies, Map<String, PushedImage> images,
                      Map<String, String> malformed, boolean shared) {
        this.registry = registry;
        this.root = root;
        this.copies = Map.copyOf(copies);
        this.images = Map.copyOf(images);
        TreeMap<String, String> map = new TreeMap<>();
        images.forEach((original, image) -> map.put(original, image.pinned().toString()));
        this.rewrites = Collections.unmodifiableSortedMap(map);
        this.malformed = Collections.unmodifiableSortedMap(new TreeMap<>(malformed));
        this.shared = shared;
    }

    /** The upstream registry holding the images. */
    public LocalRegistry registry() {
        return registry;
    }

    /** The temporary directory holding the rewritten copies, one sub-directory per source directory. */
    public Path root() {
        return root;
    }

    /** The rewritten copy of the {@code operators} (package-manifest) fixtures. */
    public Path operatorsDir() {
        return copy("operators");
    }

    /** The rewritten copy of the {@code bundles} fixtures. */
    public Path bundlesDir() {
        return copy("bundles");
    }

    /** The rewritten copy of the source directory called {@code name}. */
    public Path copy(String name) {
        Path dir = copies.get(name);
        if (dir == null) {
            throw new IllegalArgumentException("No source directory named '" + name + "' was published; have "
                    + copies.keySet());
        }
        return dir;
    }

    /**
     * Every valid original reference to its rewritten {@code <upstream host>/<repository>@sha256:…}, sorted by
     * original; see {@link #malformed()} for the rest.
     */
    public SortedMap<String, String> rewrites() {
        return rewrites;
    }

    /**
     * References in the fixtures that are not valid image references (such as {@code docker.io/x/y@@sha256:…}),
     * mapped to how the copies now spell them: moved onto the upstream host but still malformed, with no image
     * behind them. Consumers must reject them, as {@code oc} would.
     */
    public SortedMap<String, String> malformed() {
        return malformed;
    }

    /** The distinct rewritten references. */
    public Set<String> images() {
        return new LinkedHashSet<>(rewrites.values());
    }

    /** What was pushed for an original reference. */
    public PushedImage image(String originalReference) {
        PushedImage image = images.get(originalReference);
        if (image == null) {
            throw new IllegalArgumentException("'" + originalReference + "' is not an image the fixtures reference");
        }
        return image;
    }

    /** Every distinct pushed image (aliases such as {@code jboss/x:1} and {@code docker.io/jboss/x:1} count once). */
    public Collection<PushedImage> pushedImages() {
        return images.values().stream().distinct().sorted(Comparator.comparing(i -> i.reference().toString())).toList();
    }

    /** Deletes the rewritten copies (the registry belongs to the caller); does nothing for the shared instance. */
    @Override
    public void close() {
        if (!shared) {
            delete();
        }
    }

    void delete() {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Leftovers in the temp directory are harmless.
        }
    }

    @Override
    public String toString() {
        return "SimulatedUpstream[" + registry.host() + ", " + rewrites.size() + " references, "
                + pushedImages().size() + " images, " + malformed.size() + " malformed, copies " + List.copyOf(copies.keySet()) + "]";
    }
}
