package dev.catalogautopilot.testing.upstream;

import dev.catalogautopilot.registry.Digest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generates a deterministic synthetic image from a seed string: the same seed gives the same bytes on every run
 * and machine. About 20% are multi-platform, each platform has 1-3 layers of a few KiB, and about 30% of the
 * layers come from a small shared pool, as base layers are shared between real images.
 */
public final class SyntheticImages {

    /** Label on every synthetic config naming its seed. */
    public static final String SEED_LABEL = "dev.catalogautopilot.synthetic.seed";
    static final int SHARED_POOL = 32;
    static final int MULTI_ARCH_PERCENT = 20;
    static final int SHARED_LAYER_PERCENT = 30;
    private static final List<Platform> EXTRA_PLATFORMS =
            List.of(Platform.LINUX_ARM64, Platform.LINUX_PPC64LE, Platform.LINUX_S390X);

    private SyntheticImages() {
    }

    /** One entry per platform; more than one means the image is published as an OCI index. */
    public static List<PlatformImage> generate(String seed) {
        // java.util.Random's algorithm is fixed by its specification, so its sequence is the same everywhere.
        Random random = new Random(seedOf(seed));
        List<Platform> platforms = new ArrayList<>(List.of(Platform.LINUX_AMD64));
        if (random.nextInt(100) < MULTI_ARCH_PERCENT) {
            for (Platform extra : EXTRA_PLATFORMS) {
                if (random.nextBoolean()) {
                    platforms.add(extra);
                }
            }
            if (platforms.size() == 1) {
                platforms.add(EXTRA_PLATFORMS.get(random.nextInt(EXTRA_PLATFORMS.size())));
            }
        }
        List<PlatformImage> images = new ArrayList<>();
        for (Platform platform : platforms) {
            int count = 1 + random.nextInt(3);
            List<Layer> layers = new ArrayList<>();
            Set<Integer> sharedUsed = new HashSet<>();
            for (int i = 0; i < count; i++) {
                boolean shared = random.nextInt(100) < SHARED_LAYER_PERCENT;
                int pick = random.nextInt(SHARED_POOL);
                if (shared && sharedUsed.add(pick)) {
                    layers.add(sharedLayer(pick));
                } else {
                    layers.add(uniqueLayer(seed, platform, i, random));
                }
            }
            images.add(new PlatformImage(ImageConfig.of(platform, Map.of(SEED_LABEL, seed)), layers));
        }
        return images;
    }

    /** Member {@code index} of the shared layer pool. */
    static Layer sharedLayer(int index) {
        Random random = new Random(seedOf("shared-layer-" + index));
        byte[] data = new byte[2048 + random.nextInt(2048)];
        random.nextBytes(data);
        return Layer.ofFile("synthetic/shared/layer-" + index + ".bin", data);
    }

    private static Layer uniqueLayer(String seed, Platform platform, int index, Random random) {
        byte[] data = new byte[1024 + random.nextInt(3072)];
        random.nextBytes(data);
        String dir = Digest.sha256(seed.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 12);
        return Layer.ofFile("synthetic/" + dir + "/" + platform.architecture() + "-layer-" + index + ".bin", data);
    }

    private static long seedOf(String seed) {
        byte[] hash = HexFormat.of().parseHex(Digest.sha256(seed.getBytes(StandardCharsets.UTF_8)).hex());
        return ByteBuffer.wrap(hash).getLong();
    }
}
