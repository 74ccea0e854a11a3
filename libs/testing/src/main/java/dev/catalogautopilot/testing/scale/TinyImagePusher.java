package dev.catalogautopilot.testing.scale;

import dev.catalogautopilot.registry.Digest;
import java.io.ByteArrayInputStream;
import dev.catalogautopilot.registry.Manifest;
import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.registry.RepositoryRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Pushes a generated catalog's tiny images fast, {@code threads} requests in flight: the shared layer once, then per
 * repository its config (an upload of two requests, no existence check: the registry is fresh) and a mount of the
 * layer (one request), then every manifest by tag (one request each). Manifests of a repository never precede its
 * blobs, because the registry checks a manifest's blobs when it is put.
 */
public final class TinyImagePusher {

    /** Requests in flight; docker-registry on two cores answers most with this many. */
    public static final int DEFAULT_THREADS = 16;
    /** The bound on the whole push: 30,000 images take well under a minute here. */
    public static final Duration TIMEOUT = Duration.ofMinutes(15);

    private TinyImagePusher() {
    }

    /** What a push did. */
    public record Pushed(int repositories, int images, Duration blobs, Duration manifests) {
        public Duration total() {
            return blobs.plus(manifests);
        }
    }

    /** Pushes {@code images} to {@code host} with {@code client}; {@code progress} hears about each phase. */
    public static Pushed push(RegistryClient client, String host, List<ScaleImage> images, int threads,
            Consumer<String> progress) {
        Map<String, List<ScaleImage>> byRepository = new LinkedHashMap<>();
        images.forEach(image -> byRepository.computeIfAbsent(image.repository(), r -> new ArrayList<>()).add(image));
        Map<String, TinyImage> content = new LinkedHashMap<>();
        byRepository.keySet().forEach(repository -> content.put(repository, TinyImage.of(repository)));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tiny-image-push");
            t.setDaemon(true);
            return t;
        });
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            long start = System.nanoTime();
            progress.accept("pushing the shared blobs of " + content.size() + " repositories");
            RepositoryRef seed = RepositoryRef.of(host, content.keySet().iterator().next());
            Digest layer = client.pushBlob(seed, TinyImage.LAYER.content());
            List<Future<?>> blobs = new ArrayList<>();
            for (TinyImage tiny : content.values()) {
                RepositoryRef repository = RepositoryRef.of(host, tiny.repository());
                blobs.add(pool.submit(() -> {
                    byte[] config = tiny.config();
                    client.pushBlob(repository, Digest.sha256(config), config.length,
                            new ByteArrayInputStream(config));
                    if (!repository.equals(seed) && !client.mountBlob(repository, layer, seed)) {
                        client.pushBlob(repository, TinyImage.LAYER.content());
                    }
                }));
            }
            awaitAll(blobs, deadline);
            long blobsDone = System.nanoTime();
            progress.accept("pushing " + images.size() + " manifests");
            List<Future<?>> manifests = new ArrayList<>();
            for (ScaleImage image : images) {
                TinyImage tiny = content.get(image.repository());
                manifests.add(pool.submit(() -> {
                    Manifest manifest = tiny.manifest(image.tag());
                    Digest digest = client.putManifest(RepositoryRef.of(host, image.repository()), image.tag(),
                            manifest.bytes(), manifest.mediaType());
                    if (!digest.equals(image.digest())) {
                        throw new IllegalStateException(image + " was stored as " + digest);
                    }
                }));
            }
            awaitAll(manifests, deadline);
            long done = System.nanoTime();
            return new Pushed(content.size(), images.size(), Duration.ofNanos(blobsDone - start),
                    Duration.ofNanos(done - blobsDone));
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitAll(List<Future<?>> futures, long deadline) {
        try {
            for (Future<?> future : futures) {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r
                    : new IllegalStateException("Pushing a tiny image failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Pushing the tiny images took longer than " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while pushing tiny images", e);
        }
    }
}
