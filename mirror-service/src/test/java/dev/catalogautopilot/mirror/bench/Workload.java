package dev.catalogautopilot.mirror.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.Manifest;
import dev.catalogautopilot.registry.MediaTypes;
import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.registry.RepositoryRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The synthetic workloads of ARCHITECTURE.md §5, generated deterministically from a seed and pushed to an upstream
 * registry: W1 (200 images × 3 layers of about 1 MiB, 30% of layers shared, 20% multi-arch) and W2 (20 images ×
 * 2 layers of 50 MiB).
 *
 * @param name             W1 or W2
 * @param images           images to create
 * @param layersPerImage   layers per platform image
 * @param layerBytes       mean layer size
 * @param sharedPercent    share of layer slots drawn from a shared pool
 * @param multiArchPercent share of images published as a 3-platform index
 */
record Workload(String name, int images, int layersPerImage, int layerBytes, int sharedPercent, int multiArchPercent) {

    static final Workload W1 = new Workload("W1", 200, 3, 1 << 20, 30, 20);
    static final Workload W2 = new Workload("W2", 20, 2, 50 << 20, 0, 0);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] ARCHITECTURES = {"amd64", "arm64", "ppc64le"};
    private static final int SHARED_POOL = 64;

    /** Pushes every image under {@code bench/<name>/image-NNN@digest} and returns the pinned references. */
    List<ImageReference> push(RegistryClient client, String registry) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ImageReference>> futures = new ArrayList<>();
            for (int i = 0; i < images; i++) {
                int index = i;
                futures.add(pool.submit(() -> pushImage(client, registry, index)));
            }
            List<ImageReference> pushed = new ArrayList<>();
            for (Future<ImageReference> future : futures) {
                pushed.add(future.get());
            }
            return pushed;
        } finally {
            pool.shutdownNow();
        }
    }

    private ImageReference pushImage(RegistryClient client, String registry, int index) {
        Random random = new Random(name.hashCode() * 1_000_003L + index);
        RepositoryRef repository = RepositoryRef.of(registry, "bench/" + name.toLowerCase() + "/image-" + index);
        boolean multiArch = random.nextInt(100) < multiArchPercent;
        int platforms = multiArch ? ARCHITECTURES.length : 1;
        List<Manifest> manifests = new ArrayList<>();
        for (int p = 0; p < platforms; p++) {
            List<long[]> layers = new ArrayList<>();
            for (int l = 0; l < layersPerImage; l++) {
                boolean shared = random.nextInt(100) < sharedPercent;
                long seed = shared ? -1 - random.nextInt(SHARED_POOL) : ((long) index << 20) + (p << 8) + l;
                layers.add(new long[] {seed});
            }
            manifests.add(pushPlatform(client, repository, ARCHITECTURES[p], index, layers));
        }
        Digest digest;
        if (platforms == 1) {
            Manifest only = manifests.get(0);
            digest = client.putManifest(repository, "v1", only.bytes(), only.mediaType());
        } else {
            ObjectNode indexJson = JSON.createObjectNode();
            indexJson.put("schemaVersion", 2);
            indexJson.put("mediaType", MediaTypes.OCI_INDEX);
            ArrayNode entries = indexJson.putArray("manifests");
            for (int p = 0; p < platforms; p++) {
                Manifest m = manifests.get(p);
                client.putManifest(repository, m.digest().value(), m.bytes(), m.mediaType());
                ObjectNode entry = entries.addObject();
                entry.put("mediaType", m.mediaType());
                entry.put("digest", m.digest().value());
                entry.put("size", m.size());
                entry.putObject("platform").put("architecture", ARCHITECTURES[p]).put("os", "linux");
            }
            byte[] bytes = bytes(indexJson);
            digest = client.putManifest(repository, "v1", bytes, MediaTypes.OCI_INDEX);
        }
        return repository.digest(digest);
    }

    private Manifest pushPlatform(RegistryClient client, RepositoryRef repository, String architecture, int index,
                                  List<long[]> layers) {
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", architecture).put("os", "linux");
        config.putObject("config").putObject("Labels").put("bench", name + "-" + index + "-" + architecture);
        ArrayNode diffIds = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        ArrayNode layerNodes = manifest.putArray("layers");
        for (long[] layer : layers) {
            byte[] content = layerContent(layer[0]);
            Digest digest = client.pushBlob(repository, content);
            diffIds.add(digest.value());
            layerNodes.addObject().put("mediaType", MediaTypes.OCI_LAYER).put("digest", digest.value())
                    .put("size", content.length);
        }
        byte[] configBytes = bytes(config);
        Digest configDigest = client.pushBlob(repository, configBytes);
        ObjectNode configNode = JSON.createObjectNode();
        configNode.put("mediaType", MediaTypes.OCI_CONFIG).put("digest", configDigest.value())
                .put("size", configBytes.length);
        manifest.set("config", configNode);
        return Manifest.of(MediaTypes.OCI_MANIFEST, bytes(manifest));
    }

    /** Incompressible bytes, 80-120% of the mean size, the same for the same seed on every run. */
    private byte[] layerContent(long seed) {
        SplittableRandom random = new SplittableRandom(seed * 31 + name.hashCode());
        byte[] content = new byte[layerBytes * 4 / 5 + random.nextInt(layerBytes * 2 / 5)];
        for (int i = 0; i + 8 <= content.length; i += 8) {
            long v = random.nextLong();
            for (int b = 0; b < 8; b++) {
                content[i + b] = (byte) (v >>> (8 * b));
            }
        }
        return content;
    }

    private static byte[] bytes(Object node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
