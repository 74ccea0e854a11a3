package dev.catalogautopilot.testing.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.registry.Descriptor;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.testing.Fixtures;
import dev.catalogautopilot.testing.registry.LocalRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpstreamSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static SimulatedUpstream up;
    private static RegistryClient client;
    private static String host;

    @BeforeAll
    static void publish() {
        long start = System.nanoTime();
        up = UpstreamSimulator.shared();
        System.out.println("Simulated upstream ready in " + Duration.ofNanos(System.nanoTime() - start).toMillis()
                + " ms: " + up);
        client = up.registry().client();
        host = up.registry().host();
    }

    @Test
    void publishesAnImageForEveryValidReferenceOfImagesTxt() throws IOException {
        Set<String> expected = new TreeSet<>(Files.readAllLines(Fixtures.root().resolve("images.txt")));
        expected.remove("");

        Set<String> covered = new TreeSet<>(up.rewrites().keySet());
        covered.addAll(up.malformed().keySet());

        assertThat(covered).isEqualTo(expected);
        assertThat(up.malformed()).containsOnlyKeys(
                "docker.io/strimzi/operator@@sha256:3ded125be57b1da93736baa3200b67c42252d1c6cb5f1e583354f6bb29fe1f60",
                "docker.io/strimzi/operator@@sha256:62218aee7553b31db1f65bc30b3c6b6595c2fd631b2e1792e24e554a47080aa6");
        assertThat(up.malformed().values()).allSatisfy(v -> assertThat(v).startsWith(host + "/strimzi/operator@@sha256:"));
        assertThat(up.rewrites()).hasSize(403);
        assertThat(up.images()).allSatisfy(ref -> assertThat(ref).matches(
                java.util.regex.Pattern.quote(host) + "/[a-z0-9._/-]+@sha256:[0-9a-f]{64}"));
        for (PushedImage image : up.pushedImages()) {
            Descriptor resolved = client.resolve(image.reference());
            assertThat(resolved.digest()).as(image.reference().toString()).isEqualTo(image.digest());
            assertThat(resolved.mediaType()).isEqualTo(image.mediaType());
            assertThat(client.hasManifest(image.pinned())).isTrue();
        }
    }

    @Test
    void rewrittenCopiesNameOnlyUpstreamImages() throws IOException {
        Set<String> expected = new TreeSet<>(up.images());
        expected.addAll(up.malformed().values());

        Set<String> named = CsvImages.in(List.of(up.operatorsDir(), up.bundlesDir()));

        assertThat(named).isEqualTo(expected);
        Map<String, String> originals = new HashMap<>();
        up.rewrites().keySet().forEach(o -> originals.put(o, "x"));
        up.malformed().keySet().forEach(o -> originals.put(o, "x"));
        ReferenceRewriter leftovers = new ReferenceRewriter(originals);
        List<Path> files = CsvImages.manifestFiles(up.root());
        assertThat(files).hasSize(CsvImages.manifestFiles(Fixtures.operators()).size()
                + CsvImages.manifestFiles(Fixtures.bundles()).size());
        for (Path file : files) {
            assertThat(leftovers.matchesAny(Files.readString(file))).as(file.toString()).isFalse();
        }
    }

    @Test
    void keepsRepositoryPathsAndTags() {
        PushedImage quay = up.image("quay.io/strimzi/operator:0.21.1");
        assertThat(quay.reference()).hasToString(host + "/strimzi/operator:0.21.1");
        assertThat(up.rewrites().get("quay.io/strimzi/operator:0.21.1")).isEqualTo(host + "/strimzi/operator@" + quay.digest());

        assertThat(up.image("adoptopenjdk/openjdk11:slim").reference()).hasToString(host + "/adoptopenjdk/openjdk11:slim");

        String digestOnly = "quay.io/strimzi/operator@sha256:0e37f671e6d489c3e56ffb8f51f19a2a014b2cb3f57eafcc5e2931090932e725";
        assertThat(up.image(digestOnly).reference().tag())
                .isEqualTo("sha256-0e37f671e6d489c3e56ffb8f51f19a2a014b2cb3f57eafcc5e2931090932e725");
        assertThat(client.listTags(up.image(digestOnly).reference().repositoryRef()))
                .contains("0.21.1", "sha256-0e37f671e6d489c3e56ffb8f51f19a2a014b2cb3f57eafcc5e2931090932e725");

        // Aliases of one image on Docker Hub, and mirrors of one tag on two registries, share the upstream image.
        assertThat(up.image("jboss/infinispan-operator:1.0.0.Alpha4"))
                .isSameAs(up.image("docker.io/jboss/infinispan-operator:1.0.0.Alpha4"));
        assertThat(up.image("quay.io/infinispan/server:11.0.1.Final").digest())
                .isEqualTo(up.image("infinispan/server:11.0.1.Final").digest());
    }

    @Test
    void mixesMultiArchIndexesAndSharedLayers() {
        List<PushedImage> images = List.copyOf(up.pushedImages());
        long multiArch = images.stream().filter(PushedImage::isIndex).count();
        Map<Digest, Integer> blobUse = new HashMap<>();
        images.forEach(i -> new HashSet<>(i.blobs()).forEach(b -> blobUse.merge(b, 1, Integer::sum)));

        assertThat(multiArch / (double) images.size()).isBetween(0.12, 0.28);
        assertThat(blobUse.values().stream().filter(n -> n > 1).count()).isGreaterThan(10);
        assertThat(images.stream().filter(PushedImage::isIndex))
                .allSatisfy(i -> assertThat(i.platforms()).hasSizeBetween(2, 4).contains(Platform.LINUX_AMD64));
    }

    @Test
    void skopeoSeesTheRecordedDigests() throws Exception {
        PushedImage single = up.pushedImages().stream().filter(i -> !i.isIndex()).findFirst().orElseThrow();
        PushedImage multi = up.pushedImages().stream().filter(PushedImage::isIndex).findFirst().orElseThrow();

        for (PushedImage image : List.of(single, multi)) {
            byte[] raw = skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + image.pinned());
            assertThat(Digest.sha256(raw)).as(image.reference().toString()).isEqualTo(image.digest());
            byte[] byTag = skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + image.reference());
            assertThat(byTag).isEqualTo(raw);
        }
        JsonNode index = JSON.readTree(skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + multi.pinned()));
        assertThat(index.path("manifests")).hasSize(multi.platforms().size());
        Platform last = multi.platforms().get(multi.platforms().size() - 1);
        JsonNode inspected = JSON.readTree(skopeo("inspect", "--tls-verify=false", "--override-arch", last.architecture(),
                "docker://" + multi.pinned()));
        assertThat(inspected.path("Architecture").asText()).isEqualTo(last.architecture());
        assertThat(inspected.path("Labels").path(SyntheticImages.SEED_LABEL).asText())
                .isEqualTo(multi.reference().repository() + ":" + multi.reference().tag());
    }

    @Test
    void sameReferenceGivesSameDigestInAnotherRegistry() {
        Path root;
        try (LocalRegistry other = LocalRegistry.start();
             SimulatedUpstream again = UpstreamSimulator.publish(Fixtures.operators().resolve("etcd"), other)) {
            root = again.root();
            assertThat(again.rewrites()).isNotEmpty();
            again.rewrites().forEach((original, rewritten) -> {
                assertThat(rewritten).startsWith(other.host() + "/");
                assertThat(again.image(original).digest()).as(original).isEqualTo(up.image(original).digest());
            });
            assertThat(again.copy("etcd")).isDirectory();
            assertThatThrownBy(again::operatorsDir).hasMessageContaining("etcd");
        }
        assertThat(root).doesNotExist();
    }

    private static byte[] skopeo(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("skopeo " + String.join(" ", args)).isZero();
        return out;
    }
}
