package dev.catalogautopilot.testing.upstream;

import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.testing.Fixtures;
import dev.catalogautopilot.testing.registry.LocalRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Publishes the simulated upstream (ARCHITECTURE.md §4): for every image the fixture CSVs name, a deterministic
 * synthetic image on an upstream {@link LocalRegistry} under the same repository path, and a copy of the
 * manifests rewritten to point at those images by digest.
 *
 * <pre>{@code
 * SimulatedUpstream up = UpstreamSimulator.shared();            // operators + bundles, once per JVM
 * Path packages = up.operatorsDir();                            // rewritten package manifests
 * PushedImage image = up.image("quay.io/strimzi/operator:0.18.0");
 * }</pre>
 */
public final class UpstreamSimulator {

    /** Parallel pushes; the registry and the client's connection pool take this many comfortably. */
    static final int PUSH_THREADS = 8;

    private static volatile SimulatedUpstream shared;

    private UpstreamSimulator() {
    }

    /**
     * The fixtures' {@code operators} and {@code bundles} published once per JVM to
     * {@code LocalRegistry.shared("upstream")}. Callers must not modify its directories or close it.
     */
    public static SimulatedUpstream shared() {
        SimulatedUpstream up = shared;
        if (up == null) {
            synchronized (UpstreamSimulator.class) {
                if (shared == null) {
                    SimulatedUpstream published = publish(List.of(Fixtures.operators(), Fixtures.bundles()),
                            LocalRegistry.shared("upstream"), true);
                    Runtime.getRuntime().addShutdownHook(new Thread(published::delete, "delete-simulated-upstream"));
                    shared = published;
                }
                up = shared;
            }
        }
        return up;
    }

    /** Publishes the images one manifest directory names, and a rewritten copy of it. */
    public static SimulatedUpstream publish(Path sourceDir, LocalRegistry registry) {
        return publish(List.of(sourceDir), registry);
    }

    /** Publishes the images several manifest directories name; each is copied under its own directory name. */
    public static SimulatedUpstream publish(List<Path> sourceDirs, LocalRegistry registry) {
        return publish(sourceDirs, registry, false);
    }

    private static SimulatedUpstream publish(List<Path> sourceDirs, LocalRegistry registry, boolean shared) {
        Map<String, ImageReference> targets = new LinkedHashMap<>();
        Map<String, String> malformed = new LinkedHashMap<>();
        for (String original : CsvImages.in(sourceDirs)) {
            try {
                targets.put(original, upstreamTarget(ImageReference.parse(original), registry.host()));
            } catch (IllegalArgumentException invalid) {
                malformed.put(original, rehomeMalformed(original, registry.host()));
            }
        }
        Map<ImageReference, PushedImage> pushed = pushAll(new ImagePusher(registry.client()),
                List.copyOf(new LinkedHashSet<>(targets.values())));
        Map<String, PushedImage> images = new HashMap<>();
        targets.forEach((original, target) -> images.put(original, pushed.get(target)));

        Path root;
        Map<String, Path> copies = new LinkedHashMap<>();
        try {
            root = Files.createTempDirectory("simulated-upstream-");
            for (Path source : sourceDirs) {
                Path copy = root.resolve(source.getFileName().toString());
                if (copies.put(source.getFileName().toString(), copy) != null) {
                    throw new IllegalArgumentException("Two source directories are called " + source.getFileName());
                }
                copyTree(source, copy);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the fixture manifests", e);
        }
        Map<String, String> rewrites = new HashMap<>(malformed);
        images.forEach((original, image) -> rewrites.put(original, image.pinned().toString()));
        ReferenceRewriter rewriter = new ReferenceRewriter(rewrites);
        copies.values().forEach(rewriter::rewriteTree);
        return new SimulatedUpstream(registry, root, copies, images, malformed, shared);
    }

    /**
     * Where an original reference lives upstream: the same repository path on the upstream registry, under the
     * original tag, or a tag derived from the digest for digest-only references.
     */
    public static ImageReference upstreamTarget(ImageReference original, String upstreamHost) {
        String tag = original.tag() != null ? original.tag() : "sha256-" + original.digest().hex();
        return ImageReference.of(upstreamHost, original.repository(), tag);
    }

    /**
     * Moves a reference that does not parse (real CSVs contain typos such as {@code name@@sha256:…}) onto the
     * upstream host, keeping the rest as it is: consumers still meet the malformed reference, but never one
     * that points at a public registry.
     */
    static String rehomeMalformed(String original, String upstreamHost) {
        String rest = original;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                rest = rest.substring(slash + 1);
            }
        }
        int end = rest.length();
        for (char c : new char[] {'@', ':'}) {
            int at = rest.indexOf(c);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        if (rest.substring(0, end).indexOf('/') < 0) {
            rest = "library/" + rest;
        }
        return upstreamHost + "/" + rest;
    }

    /** The synthetic image for an upstream target; seeded by repository and tag, so aliases agree. */
    public static List<PlatformImage> syntheticImage(ImageReference target) {
        return SyntheticImages.generate(target.repository() + ":" + target.tag());
    }

    private static Map<ImageReference, PushedImage> pushAll(ImagePusher pusher, List<ImageReference> targets) {
        ExecutorService pool = Executors.newFixedThreadPool(PUSH_THREADS, r -> {
            Thread t = new Thread(r, "upstream-push");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<PushedImage>> futures = new ArrayList<>();
            for (ImageReference target : targets) {
                futures.add(pool.submit(() -> {
                    List<PlatformImage> image = syntheticImage(target);
                    return image.size() == 1 ? pusher.push(target, image.get(0)) : pusher.pushIndex(target, image);
                }));
            }
            Map<ImageReference, PushedImage> pushed = new HashMap<>();
            for (int i = 0; i < targets.size(); i++) {
                pushed.put(targets.get(i), futures.get(i).get());
            }
            return pushed;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("Pushing a synthetic image failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while pushing synthetic images", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                Path destination = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(path, destination);
                }
            }
        }
    }
}
