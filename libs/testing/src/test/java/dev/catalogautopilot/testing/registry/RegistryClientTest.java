package dev.catalogautopilot.testing.registry;

import dev.catalogautopilot.registry.Descriptor;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.DigestingInputStream;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.Manifest;
import dev.catalogautopilot.registry.MediaTypes;
import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.registry.RegistryException;
import dev.catalogautopilot.registry.RepositoryRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RegistryClient} against a real docker-registry. */
class RegistryClientTest {

    private static LocalRegistry registry;
    private static RegistryClient client;

    @BeforeAll
    static void startRegistry() {
        registry = LocalRegistry.start();
        client = registry.client();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void pushesAndStreamsBlobs() throws IOException {
        RepositoryRef repo = registry.repository("blobs/small");
        byte[] content = "hello blob".getBytes(StandardCharsets.UTF_8);

        Digest digest = client.pushBlob(repo, content);

        assertThat(digest).isEqualTo(Digest.sha256(content));
        assertThat(client.hasBlob(repo, digest)).isTrue();
        assertThat(client.pushBlob(repo, content)).isEqualTo(digest);
        try (DigestingInputStream in = client.openBlob(repo, digest)) {
            assertThat(in.readAllBytes()).isEqualTo(content);
            assertThat(in.matches()).isTrue();
        }
        assertThat(client.hasBlob(repo, Digest.sha256(new byte[] {1}))).isFalse();
    }

    @Test
    void streamsLargeBlobUploadWithoutBuffering() {
        RepositoryRef repo = registry.repository("blobs/large");
        byte[] content = randomBytes(3 * 1024 * 1024 + 17, 7);
        Digest digest = Digest.sha256(content);

        client.pushBlob(repo, digest, content.length, new ByteArrayInputStream(content));

        assertThat(client.getBlob(repo, digest)).isEqualTo(content);
    }

    @Test
    void retriesAStreamedUploadByReopeningItsSource() {
        RepositoryRef repo = registry.repository("blobs/reopened");
        byte[] content = randomBytes(256 * 1024, 9);
        Digest digest = Digest.sha256(content);
        java.util.concurrent.atomic.AtomicInteger opens = new java.util.concurrent.atomic.AtomicInteger();
        RegistryClient fastRetry = RegistryClient.builder().insecureRegistries(java.util.List.of(registry.host()))
                .backoffBase(java.time.Duration.ofMillis(1)).build();

        fastRetry.pushBlob(repo, digest, content.length, () -> {
            if (opens.incrementAndGet() == 1) {
                // The first attempt's source breaks halfway, like a reset source connection.
                return new java.io.SequenceInputStream(new ByteArrayInputStream(content, 0, content.length / 2),
                        new InputStream() {
                            @Override
                            public int read() throws IOException {
                                throw new IOException("source connection reset");
                            }
                        });
            }
            return new ByteArrayInputStream(content);
        });

        assertThat(opens).hasValue(2);
        assertThat(client.getBlob(repo, digest)).isEqualTo(content);
    }

    @Test
    void refusesToStoreStreamThatDoesNotMatchItsDigest() {
        RepositoryRef repo = registry.repository("blobs/liar");
        byte[] content = randomBytes(4096, 1);
        Digest claimed = Digest.sha256(randomBytes(4096, 2));

        assertThatThrownBy(() -> client.pushBlob(repo, claimed, content.length, new ByteArrayInputStream(content)))
                .isInstanceOf(RegistryException.class);
        assertThat(client.hasBlob(repo, claimed)).isFalse();
    }

    @Test
    void keepsManifestBytesExactlyAndResolvesTags() {
        RepositoryRef repo = registry.repository("images/exact");
        Manifest manifest = pushImage(repo, "layer one", "{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        Digest digest = client.putManifest(repo, "v1", manifest.bytes(), manifest.mediaType());

        Descriptor resolved = client.resolve(repo.tag("v1"));
        Manifest fetched = client.getManifest(repo.digest(digest));

        assertThat(digest).isEqualTo(manifest.digest());
        assertThat(resolved).isEqualTo(new Descriptor(MediaTypes.OCI_MANIFEST, digest, manifest.size()));
        assertThat(fetched.bytes()).isEqualTo(manifest.bytes());
        assertThat(fetched.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(client.getManifest(repo.tag("v1"))).isEqualTo(fetched);
        assertThat(client.hasManifest(repo.tag("v1"))).isTrue();
        assertThat(client.hasManifest(repo.tag("v2"))).isFalse();
    }

    @Test
    void resolvesOciIndexesAndDockerManifestLists() {
        RepositoryRef repo = registry.repository("images/multi");
        Manifest amd64 = pushImage(repo, "amd64 layer", "{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        Manifest arm64 = pushImage(repo, "arm64 layer", "{\"architecture\":\"arm64\",\"os\":\"linux\"}");
        String children = """
                [{"mediaType":"%s","digest":"%s","size":%d,"platform":{"architecture":"amd64","os":"linux"}},
                 {"mediaType":"%s","digest":"%s","size":%d,"platform":{"architecture":"arm64","os":"linux"}}]"""
                .formatted(amd64.mediaType(), amd64.digest(), amd64.size(), arm64.mediaType(), arm64.digest(), arm64.size());
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":" + children + "}")
                .getBytes(StandardCharsets.UTF_8);
        client.putManifest(repo, "oci", index, MediaTypes.OCI_INDEX);

        Descriptor resolved = client.resolve(repo.tag("oci"));

        assertThat(resolved.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(resolved.digest()).isEqualTo(Digest.sha256(index));
        assertThat(resolved.isIndex()).isTrue();
        assertThat(client.getManifest(repo.tag("oci")).bytes()).isEqualTo(index);

        Manifest docker = pushDockerImage(repo);
        byte[] list = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST_LIST + "\",\"manifests\":[{"
                + "\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"digest\":\"" + docker.digest() + "\",\"size\":"
                + docker.size() + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}")
                .getBytes(StandardCharsets.UTF_8);
        client.putManifest(repo, "docker", list, MediaTypes.DOCKER_MANIFEST_LIST);

        assertThat(client.resolve(repo.tag("docker")))
                .isEqualTo(new Descriptor(MediaTypes.DOCKER_MANIFEST_LIST, Digest.sha256(list), list.length));
        assertThat(client.getManifest(repo.digest(docker.digest())).mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
    }

    @Test
    void retaggingChangesTheResolvedDigest() {
        RepositoryRef repo = registry.repository("images/moving");
        Manifest first = pushImage(repo, "first", "{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        Manifest second = pushImage(repo, "second", "{\"architecture\":\"amd64\",\"os\":\"linux\"}");

        client.putManifest(repo.tag("latest"), first);
        Digest before = client.resolve(repo.tag("latest")).digest();
        client.putManifest(repo.tag("latest"), second);
        Digest after = client.resolve(repo.tag("latest")).digest();

        assertThat(before).isEqualTo(first.digest());
        assertThat(after).isEqualTo(second.digest()).isNotEqualTo(before);
    }

    @Test
    void reportsMissingManifestsWithRegistryErrorCode() {
        ImageReference missing = registry.image("images/none:nope");

        assertThatThrownBy(() -> client.resolve(missing))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.isNotFound()).isTrue();
                    assertThat(e.getMessage()).contains("resolve", missing.toString(), "404");
                });
        assertThatThrownBy(() -> client.getManifest(missing))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.errorCode()).isIn("MANIFEST_UNKNOWN", "NAME_UNKNOWN");
                    assertThat(e.getMessage()).contains(e.errorCode());
                });
    }

    @Test
    void mountsBlobsAcrossRepositories() {
        RepositoryRef source = registry.repository("mount/source");
        RepositoryRef target = registry.repository("mount/target");
        Digest digest = client.pushBlob(source, randomBytes(2048, 3));
        Digest unknown = Digest.sha256(randomBytes(2048, 4));

        assertThat(client.hasBlob(target, digest)).isFalse();
        assertThat(client.mountBlob(target, digest, source)).isTrue();
        assertThat(client.hasBlob(target, digest)).isTrue();
        assertThat(client.mountBlob(target, unknown, source)).isFalse();
        assertThat(client.mountBlob(target, digest, RepositoryRef.of("elsewhere.example", "mount/source"))).isFalse();
    }

    @Test
    void listsTagsAndDeletesManifests() {
        RepositoryRef repo = registry.repository("tags/listed");
        Manifest manifest = pushImage(repo, "tagged", "{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        client.putManifest(repo, "b", manifest.bytes(), manifest.mediaType());
        client.putManifest(repo, "a", manifest.bytes(), manifest.mediaType());

        assertThat(client.listTags(repo)).containsExactlyInAnyOrder("a", "b");
        assertThat(client.deleteManifest(repo, manifest.digest())).isTrue();
        assertThat(client.hasManifest(repo.digest(manifest.digest()))).isFalse();
        assertThat(client.deleteManifest(repo, manifest.digest())).isFalse();
    }

    @Test
    void verifiesBlobDigestWhileStreaming() throws IOException {
        RepositoryRef repo = registry.repository("blobs/verify");
        byte[] content = randomBytes(10_000, 5);
        Digest digest = client.pushBlob(repo, content);

        try (InputStream in = client.openBlob(repo, digest)) {
            assertThat(in.readAllBytes()).hasSize(content.length);
        }
        // Corrupt the stored blob behind the registry's back: the stream must notice at EOF.
        java.nio.file.Path data = registry.storageDir().resolve("docker/registry/v2/blobs/sha256")
                .resolve(digest.hex().substring(0, 2)).resolve(digest.hex()).resolve("data");
        byte[] corrupt = content.clone();
        corrupt[100] ^= 1;
        java.nio.file.Files.write(data, corrupt);

        assertThatThrownBy(() -> {
            try (InputStream in = client.openBlob(repo, digest)) {
                in.readAllBytes();
            }
        }).isInstanceOf(DigestingInputStream.DigestMismatchException.class)
                .hasMessageContaining(digest.toString());
    }

    private static Manifest pushImage(RepositoryRef repo, String layerText, String configJson) {
        Digest layer = client.pushBlob(repo, layerText.getBytes(StandardCharsets.UTF_8));
        byte[] config = configJson.getBytes(StandardCharsets.UTF_8);
        Digest configDigest = client.pushBlob(repo, config);
        // Odd spacing and key order on purpose: the registry and client must keep these bytes.
        String json = "{ \"schemaVersion\": 2,\n  \"mediaType\": \"" + MediaTypes.OCI_MANIFEST + "\",\n"
                + "  \"config\": {\"size\": " + config.length + ", \"mediaType\": \"" + MediaTypes.OCI_CONFIG
                + "\", \"digest\": \"" + configDigest + "\"},\n"
                + "  \"layers\": [{\"mediaType\": \"" + MediaTypes.OCI_LAYER + "\", \"digest\": \"" + layer
                + "\", \"size\": " + layerText.length() + "}] }\n";
        Manifest manifest = Manifest.of(MediaTypes.OCI_MANIFEST, json.getBytes(StandardCharsets.UTF_8));
        client.putManifest(repo, manifest.digest().value(), manifest.bytes(), manifest.mediaType());
        return manifest;
    }

    private static Manifest pushDockerImage(RepositoryRef repo) {
        byte[] layer = "docker layer".getBytes(StandardCharsets.UTF_8);
        Digest layerDigest = client.pushBlob(repo, layer);
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\"}}"
                .getBytes(StandardCharsets.UTF_8);
        Digest configDigest = client.pushBlob(repo, config);
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.DOCKER_CONFIG + "\",\"size\":" + config.length + ",\"digest\":\"" + configDigest
                + "\"},\"layers\":[{\"mediaType\":\"" + MediaTypes.DOCKER_LAYER + "\",\"size\":" + layer.length
                + ",\"digest\":\"" + layerDigest + "\"}]}";
        Manifest manifest = Manifest.of(MediaTypes.DOCKER_MANIFEST, json.getBytes(StandardCharsets.UTF_8));
        client.putManifest(repo, manifest.digest().value(), manifest.bytes(), manifest.mediaType());
        return manifest;
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
