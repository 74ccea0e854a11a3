package dev.catalogautopilot.testing.upstream;

import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class SyntheticImagesTest {

    @Test
    void sameSeedGivesSameBytesDifferentSeedsDiffer() {
        List<PlatformImage> first = SyntheticImages.generate("strimzi/operator:0.18.0");
        List<PlatformImage> again = SyntheticImages.generate("strimzi/operator:0.18.0");
        List<PlatformImage> other = SyntheticImages.generate("strimzi/operator:0.19.0");

        assertThat(again).isEqualTo(first);
        for (int i = 0; i < first.size(); i++) {
            assertThat(again.get(i).configJson()).isEqualTo(first.get(i).configJson());
        }
        assertThat(other.get(0).configJson()).isNotEqualTo(first.get(0).configJson());
    }

    @Test
    void contentIsPinnedAcrossMachinesAndJdks() {
        // Golden values: if these change, every published upstream digest changes with them.
        PlatformImage image = SyntheticImages.generate("strimzi/operator:0.18.0").get(0);
        assertThat(Digest.sha256(image.configJson())).hasToString(GOLDEN_CONFIG);
        assertThat(image.layers()).extracting(l -> l.digest().toString()).containsExactlyElementsOf(GOLDEN_LAYERS);
    }

    private static final String GOLDEN_CONFIG =
            "sha256:5c2b959fd49889a6d5cecadf0761a53fbc2484a316f99a8d1b685ec3138226ac";
    private static final List<String> GOLDEN_LAYERS = List.of(
            "sha256:d1e95ec200a3aa0de36bb9f0a9483dc94f5de387a02af3c11ca34b7490e476bb",
            "sha256:d1e7b3eca727eeb5ffb153fe3220378e6b161ffc5b0647e641f42e71df00bbdc");

    @Test
    void layersAreSmallValidGzipTarsWithMatchingDiffIds() throws IOException {
        for (PlatformImage image : SyntheticImages.generate("jaegertracing/jaeger-operator:1.8.0")) {
            assertThat(image.layers()).hasSizeBetween(1, 3);
            for (Layer layer : image.layers()) {
                assertThat(layer.size()).isBetween(1024L, 8 * 1024L);
                byte[] tar = new GZIPInputStream(new ByteArrayInputStream(layer.content())).readAllBytes();
                assertThat(Digest.sha256(tar)).isEqualTo(layer.diffId());
                assertThat(tar.length % 512).isZero();
            }
        }
    }

    @Test
    void fixtureImagesHaveTheIntendedMix() throws IOException {
        List<String> references = Files.readAllLines(Fixtures.root().resolve("images.txt"));
        Set<String> seeds = new HashSet<>();
        for (String reference : references) {
            if (!reference.contains("@@")) {
                ImageReference target = UpstreamSimulator.upstreamTarget(ImageReference.parse(reference), "upstream:5000");
                seeds.add(target.repository() + ":" + target.tag());
            }
        }
        int multiArch = 0;
        int layers = 0;
        int sharedLayers = 0;
        Set<Platform> platforms = new HashSet<>();
        Map<Digest, Integer> layerUse = new HashMap<>();
        Set<Digest> sharedPool = new HashSet<>();
        for (int i = 0; i < SyntheticImages.SHARED_POOL; i++) {
            sharedPool.add(SyntheticImages.sharedLayer(i).digest());
        }
        for (String seed : seeds) {
            List<PlatformImage> image = SyntheticImages.generate(seed);
            if (image.size() > 1) {
                multiArch++;
                assertThat(image.get(0).platform()).isEqualTo(Platform.LINUX_AMD64);
            }
            for (PlatformImage platformImage : image) {
                platforms.add(platformImage.platform());
                for (Layer layer : platformImage.layers()) {
                    layers++;
                    layerUse.merge(layer.digest(), 1, Integer::sum);
                    if (sharedPool.contains(layer.digest())) {
                        sharedLayers++;
                    }
                }
            }
        }
        double multiArchShare = multiArch / (double) seeds.size();
        double sharedShare = sharedLayers / (double) layers;
        assertThat(multiArchShare).isBetween(0.12, 0.28);
        assertThat(sharedShare).isBetween(0.2, 0.4);
        assertThat(platforms).containsExactlyInAnyOrder(Platform.LINUX_AMD64, Platform.LINUX_ARM64,
                Platform.LINUX_PPC64LE, Platform.LINUX_S390X);
        // Every non-shared layer is used exactly once.
        layerUse.forEach((digest, uses) -> {
            if (!sharedPool.contains(digest)) {
                assertThat(uses).isEqualTo(1);
            }
        });
    }
}
