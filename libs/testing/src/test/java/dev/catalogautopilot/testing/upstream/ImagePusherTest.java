package dev.catalogautopilot.testing.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.Manifest;
import dev.catalogautopilot.registry.MediaTypes;
import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.testing.Fixtures;
import dev.catalogautopilot.testing.registry.LocalRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImagePusherTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalRegistry registry;
    private static RegistryClient client;
    private static ImagePusher pusher;

    @BeforeAll
    static void start() {
        registry = LocalRegistry.start();
        pusher = ImagePusher.loopback();
        client = pusher.client();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void indexImageCarriesTheCatalogUnderConfigsWithTheIndexLabel() throws IOException {
        Path fbc = Fixtures.fbc().resolve("community-v4.16");
        ImageReference target = registry.image("olm/community-index:v4.16");

        PushedImage pushed = pusher.pushIndexImage(fbc, target);

        assertThat(client.resolve(target).digest()).isEqualTo(pushed.digest());
        assertThat(pushed.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(pushed.platforms()).containsExactly(Platform.LINUX_AMD64);
        JsonNode manifest = JSON.readTree(client.getManifest(pushed.pinned()).bytes());
        JsonNode config = JSON.readTree(client.getBlob(target.repositoryRef(),
                Digest.parse(manifest.path("config").path("digest").asText())));
        assertThat(config.path("config").path("Labels").path(ImagePusher.INDEX_CONFIGS_LABEL).asText()).isEqualTo("/configs");
        assertThat(config.path("config").path("Entrypoint").toString()).isEqualTo("[\"/bin/opm\"]");
        assertThat(config.path("config").path("Cmd").toString()).isEqualTo("[\"serve\",\"/configs\",\"--cache-dir=/tmp/cache\"]");
        assertThat(manifest.path("layers")).hasSize(1);
        JsonNode layerNode = manifest.path("layers").get(0);
        assertThat(layerNode.path("mediaType").asText()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);

        byte[] layer = client.getBlob(target.repositoryRef(), Digest.parse(layerNode.path("digest").asText()));
        TarEntries tar = TarEntries.ofGzip(layer);
        assertThat(tar.names()).containsExactly("configs/",
                "configs/multicluster-global-hub-operator/", "configs/multicluster-global-hub-operator/catalog.yaml",
                "configs/project-onboarding-operator/", "configs/project-onboarding-operator/catalog.yaml",
                "configs/trident-operator/", "configs/trident-operator/catalog.yaml");
        assertThat(tar.entries()).allSatisfy(e -> assertThat(e.mtime()).isZero());
        assertThat(tar.entries().get(6).content())
                .isEqualTo(Files.readAllBytes(fbc.resolve("trident-operator/catalog.yaml")));
        assertThat(config.path("rootfs").path("diff_ids").get(0).asText())
                .isEqualTo(Digest.sha256(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(layer))
                        .readAllBytes()).value());
    }

    @Test
    void sameCatalogGivesSameDigestAndNewContentMovesTheTag(@TempDir Path dir) throws IOException {
        Path fbc = copy(Fixtures.fbc().resolve("index-declcfgs/latest"), dir.resolve("fbc"));
        ImageReference tag = registry.image("olm/moving-index:latest");

        Digest first = pusher.pushIndexImage(fbc, tag).digest();
        Digest again = pusher.pushIndexImage(fbc, registry.image("olm/other-index:v1")).digest();
        Files.writeString(fbc.resolve("extra.json"), "{\"schema\":\"olm.package\",\"name\":\"extra\"}\n");
        Digest changed = pusher.pushIndexImage(fbc, tag).digest();

        assertThat(again).isEqualTo(first);
        assertThat(changed).isNotEqualTo(first);
        assertThat(client.resolve(tag).digest()).isEqualTo(changed);
    }

    @Test
    void multiPlatformIndexImageSharesOneCatalogLayer() throws IOException {
        ImageReference target = registry.image("olm/multi-index:v1");
        List<Platform> platforms = List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64, Platform.LINUX_S390X);

        PushedImage pushed = pusher.pushIndexImage(Fixtures.fbc().resolve("prometheus"), target, platforms);

        assertThat(pushed.isIndex()).isTrue();
        assertThat(client.resolve(target).mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        JsonNode index = JSON.readTree(client.getManifest(target).bytes());
        assertThat(index.path("manifests")).extracting(m -> m.path("platform").path("architecture").asText())
                .containsExactly("amd64", "arm64", "s390x");
        List<String> catalogLayers = new ArrayList<>();
        for (JsonNode child : index.path("manifests")) {
            JsonNode manifest = JSON.readTree(client.getManifest(target.withDigest(Digest.parse(child.path("digest").asText()))
                    .withoutTag()).bytes());
            catalogLayers.add(manifest.path("layers").get(0).path("digest").asText());
        }
        assertThat(catalogLayers).hasSize(3).containsOnly(catalogLayers.get(0));
        assertThat(pushed.platformManifests()).hasSize(3);
    }

    @Test
    void multiArchBaseLooksLikeOpm() throws IOException {
        ImageReference target = registry.image("openshift/ose-operator-registry:v4.16");
        List<Platform> platforms = List.of(Platform.LINUX_AMD64, Platform.LINUX_PPC64LE);

        PushedImage base = pusher.pushMultiArchBase(target, platforms);

        assertThat(base.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(base.platforms()).containsExactlyElementsOf(platforms);
        for (Platform platform : platforms) {
            Manifest manifest = client.getManifest(target.withDigest(base.platformManifests().get(platform)).withoutTag());
            JsonNode json = JSON.readTree(manifest.bytes());
            JsonNode config = JSON.readTree(client.getBlob(target.repositoryRef(),
                    Digest.parse(json.path("config").path("digest").asText())));
            assertThat(config.path("architecture").asText()).isEqualTo(platform.architecture());
            assertThat(config.path("config").path("Entrypoint").get(0).asText()).isEqualTo("/bin/opm");
            assertThat(config.path("config").path("Cmd").get(0).asText()).isEqualTo("serve");
            TarEntries layer = TarEntries.ofGzip(client.getBlob(target.repositoryRef(),
                    Digest.parse(json.path("layers").get(0).path("digest").asText())));
            assertThat(layer.names()).containsExactly("bin/", "bin/opm");
            assertThat(layer.entries().get(1).mode()).isEqualTo(0755);
        }
    }

    @Test
    void pushesCallerMadeImagesByTagOrDigest() {
        Layer layer = Layer.ofFile("hello.txt", "hello".getBytes(StandardCharsets.UTF_8));
        byte[] config = ImageConfig.of(Platform.parse("linux/arm/v7"), Map.of("a", "b")).toJson(List.of(layer));

        PushedImage tagged = pusher.pushImage(registry.image("custom/app:1"), config, List.of(layer));
        PushedImage byDigest = pusher.pushImage(registry.image("custom/app@" + tagged.digest()), config, List.of(layer));

        assertThat(byDigest.digest()).isEqualTo(tagged.digest());
        assertThat(tagged.platforms()).containsExactly(new Platform("linux", "arm", "v7"));
        assertThat(tagged.blobs()).containsExactly(Digest.sha256(config), layer.digest());
        assertThat(client.hasManifest(registry.image("custom/app:1"))).isTrue();
        Digest wrong = Digest.sha256(new byte[] {1});
        assertThatThrownBy(() -> pusher.pushImage(registry.image("custom/app@" + wrong), config, List.of(layer)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(wrong.toString());
    }

    private static Path copy(Path source, Path target) throws IOException {
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
        return target;
    }
}
