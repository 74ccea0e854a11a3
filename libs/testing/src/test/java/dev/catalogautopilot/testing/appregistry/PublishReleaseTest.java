package dev.catalogautopilot.testing.appregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catalogautopilot.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Publishing, removing and adding packages, and reproducible digests. */
class PublishReleaseTest {

    private static final String NS = FixtureAppRegistry.DEFAULT_NAMESPACE;

    private FixtureAppRegistry registry;
    private CnrTestClient client;

    @BeforeEach
    void start() {
        registry = FixtureAppRegistry.builder().start();
        client = new CnrTestClient(registry.baseUrl());
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void publishReleaseChangesDefaultReleasesAndDigest() {
        JsonNode before = etcdListing();
        String firstDigest = registry.latest("etcd").digest();

        PublishedRelease published = registry.publishRelease("etcd");

        assertThat(published.release()).isEqualTo("1.0.1");
        assertThat(published.packageName()).isEqualTo("etcd");
        assertThat(published.digest()).matches("[0-9a-f]{64}").isNotEqualTo(firstDigest);
        JsonNode after = etcdListing();
        assertThat(after.path("default").asText()).isEqualTo("1.0.1");
        assertThat(after.path("releases").toString()).isEqualTo("[\"1.0.1\",\"1.0.0\"]");
        assertThat(after.path("created_at").asText()).isEqualTo(before.path("created_at").asText());
        assertThat(time(after.path("updated_at"))).isAfter(time(before.path("updated_at")));

        JsonNode releases = client.getJson("/api/v1/packages/" + NS + "/etcd");
        assertThat(releases).extracting(r -> r.path("release").asText()).containsExactly("1.0.1", "1.0.0");
        assertThat(releases.get(0).path("content").path("digest").asText()).isEqualTo(published.digest());
        assertThat(releases.get(1).path("content").path("digest").asText()).isEqualTo(firstDigest);
        assertThat(client.getJson("/api/v1/packages/" + NS + "/etcd/1.0.1/helm").path("content").path("digest")
                .asText()).isEqualTo(published.digest());

        byte[] archive = client.download("/api/v1/packages/" + NS + "/etcd/blobs/sha256/" + published.digest());
        assertThat(CnrTestClient.sha256(archive)).isEqualTo(published.digest());
        assertThat(headCsvAnnotation(archive)).isEqualTo("1.0.1");
        // The old release stays downloadable, unchanged.
        byte[] first = client.download("/api/v1/packages/" + NS + "/etcd/blobs/sha256/" + firstDigest);
        assertThat(CnrTestClient.sha256(first)).isEqualTo(firstDigest);
    }

    @Test
    void everyPublishedReleaseHasNewContent() {
        Set<String> digests = new HashSet<>();
        digests.add(registry.latest("etcd").digest());
        for (int i = 1; i <= 10; i++) {
            PublishedRelease release = registry.publishRelease("etcd");
            assertThat(release.release()).isEqualTo("1.0." + i);
            assertThat(digests.add(release.digest())).as("new digest for %s", release.release()).isTrue();
        }
        byte[] archive = client.download("/api/v1/packages/" + NS + "/etcd/1.0.10/helm/pull");

        assertThat(headCsvAnnotation(archive)).isEqualTo("1.0.10");
        // Semver order, not text order: 1.0.10 is the newest.
        assertThat(etcdListing().path("default").asText()).isEqualTo("1.0.10");
        assertThat(registry.releases("etcd")).extracting(PublishedRelease::release)
                .startsWith("1.0.10", "1.0.9").endsWith("1.0.1", "1.0.0");
    }

    @Test
    void publishReleaseWithAnEditServesTheEditedCopy() {
        PublishedRelease withoutOldest = registry.publishRelease("etcd", dir -> deleteTree(dir.resolve("0.6.1")));
        PublishedRelease unchanged = registry.publishRelease("etcd", dir -> { });

        byte[] archive = client.download("/api/v1/packages/" + NS + "/etcd/1.0.1/helm/pull");
        assertThat(CnrTestClient.regularFiles(archive)).extracting(CnrTestClient.Entry::name)
                .noneMatch(name -> name.startsWith("etcd/0.6.1/"))
                .anyMatch(name -> name.startsWith("etcd/0.9.4/"));
        assertThat(unchanged.release()).isEqualTo("1.0.2");
        assertThat(unchanged.digest()).isEqualTo(withoutOldest.digest());
        // The shared fixture itself is untouched.
        assertThat(Fixtures.operators().resolve("etcd/0.6.1")).isDirectory();
    }

    @Test
    void closeDeletesTheEditedCopies() {
        List<Path> copies = new ArrayList<>();
        try (FixtureAppRegistry other = FixtureAppRegistry.builder().start()) {
            other.publishRelease("etcd", copies::add);
            assertThat(copies.get(0)).isDirectory().isNotEqualTo(Fixtures.operators().resolve("etcd"));
        }
        assertThat(copies.get(0)).doesNotExist();
    }

    @Test
    void anEditMayNotRenameThePackage() {
        assertThatThrownBy(() -> registry.publishRelease("etcd", dir -> {
            Path file = dir.resolve("etcd.package.yaml");
            try {
                Files.writeString(file, Files.readString(file).replace("packageName: etcd", "packageName: other"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("renamed");
        assertThat(registry.latest("etcd").release()).isEqualTo("1.0.0");
    }

    @Test
    void concurrentPublishesGetDistinctConsecutiveReleases() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<PublishedRelease>> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tasks.add(() -> registry.publishRelease("etcd"));
                tasks.add(() -> {
                    client.getJson("/api/v1/packages?namespace=" + NS);
                    return null;
                });
            }
            List<String> releases = new ArrayList<>();
            for (Future<PublishedRelease> future : pool.invokeAll(tasks)) {
                if (future.get() != null) {
                    releases.add(future.get().release());
                }
            }
            assertThat(releases).containsExactlyInAnyOrder("1.0.1", "1.0.2", "1.0.3", "1.0.4");
            assertThat(etcdListing().path("releases").toString())
                    .isEqualTo("[\"1.0.4\",\"1.0.3\",\"1.0.2\",\"1.0.1\",\"1.0.0\"]");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void removeAndAddPackageSimulateUpstreamChanges() {
        JsonNode before = etcdListing();
        registry.removePackage("etcd");

        assertThat(client.getJson("/api/v1/packages?namespace=" + NS))
                .extracting(p -> p.path("name").asText()).doesNotContain(NS + "/etcd").hasSize(24);
        assertThat(client.get("/api/v1/packages/" + NS + "/etcd").statusCode()).isEqualTo(404);
        assertThatThrownBy(() -> registry.publishRelease("etcd")).isInstanceOf(IllegalArgumentException.class);

        PublishedRelease added = registry.addPackage(Fixtures.operators().resolve("etcd"));

        assertThat(added.release()).isEqualTo("1.0.0");
        JsonNode after = etcdListing();
        assertThat(after.path("releases").toString()).isEqualTo("[\"1.0.0\"]");
        assertThat(time(after.path("created_at"))).isAfter(time(before.path("created_at")));
        assertThatThrownBy(() -> registry.addPackage(Fixtures.operators().resolve("etcd")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
    }

    @Test
    void addsAPackageFromAnotherDirectory() {
        PublishedRelease added = registry.addPackage(Fixtures.invalid().resolve("3scale-community-operator"));

        assertThat(added.packageName()).isEqualTo("3scale-community-operator");
        assertThat(client.getJson("/api/v1/packages")).hasSize(26);
        assertThat(CnrTestClient.sha256(client.download(
                "/api/v1/packages/" + NS + "/3scale-community-operator/1.0.0/helm/pull"))).isEqualTo(added.digest());
    }

    @Test
    void adminEndpointPublishesOnARunningServer() {
        HttpResponse<byte[]> response = client.postAbsolute(registry.adminUrl() + "/publish/etcd");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = CnrTestClient.json(response);
        assertThat(body.path("package").asText()).isEqualTo(NS + "/etcd");
        assertThat(body.path("release").asText()).isEqualTo("1.0.1");
        assertThat(body.path("digest").asText()).isEqualTo(registry.latest("etcd").digest());
        assertThat(client.postAbsolute(registry.adminUrl() + "/publish/no-such-package").statusCode()).isEqualTo(404);
    }

    @Test
    void digestsAreTheSameAcrossServerInstances() {
        try (FixtureAppRegistry other = FixtureAppRegistry.builder().port(0).start()) {
            for (String name : registry.packageNames()) {
                assertThat(other.latest(name).digest()).as(name).isEqualTo(registry.latest(name).digest());
            }
            assertThat(other.publishRelease("jaeger").digest()).isEqualTo(registry.publishRelease("jaeger").digest());
        }
    }

    @Test
    void namespaceIsConfigurable() {
        try (FixtureAppRegistry redhat = FixtureAppRegistry.builder().namespace("redhat-operators").start()) {
            CnrTestClient redhatClient = new CnrTestClient(redhat.baseUrl());
            assertThat(redhatClient.getJson("/api/v1/packages?namespace=redhat-operators").get(0).path("name").asText())
                    .startsWith("redhat-operators/");
            assertThat(redhatClient.get("/api/v1/packages/redhat-operators/etcd").statusCode()).isEqualTo(200);
            assertThat(redhatClient.get("/api/v1/packages/" + NS + "/etcd").statusCode()).isEqualTo(404);
        }
    }

    private JsonNode etcdListing() {
        for (JsonNode pkg : client.getJson("/api/v1/packages?namespace=" + NS + "&media_type=helm")) {
            if (pkg.path("name").asText().equals(NS + "/etcd")) {
                return pkg;
            }
        }
        throw new AssertionError("etcd is not listed");
    }

    /** The release annotation on etcd's default-channel head CSV (singlenamespace-alpha: etcdoperator.v0.9.4). */
    private static String headCsvAnnotation(byte[] archive) {
        CnrTestClient.Entry csv = CnrTestClient.regularFiles(archive).stream()
                .filter(e -> e.name().equals("etcd/0.9.4/etcdoperator.v0.9.4.clusterserviceversion.yaml"))
                .findFirst().orElseThrow();
        return FixturePackages.parseYaml(csv.text()).path("metadata").path("annotations")
                .path(FixtureAppRegistry.RELEASE_ANNOTATION).asText(null);
    }

    private static LocalDateTime time(JsonNode timestamp) {
        return LocalDateTime.parse(timestamp.asText());
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
