package dev.catalogautopilot.testing.appregistry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FixtureAppRegistryTest {

    private static final String NS = FixtureAppRegistry.DEFAULT_NAMESPACE;
    private static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{6})?";

    private static FixtureAppRegistry registry;
    private static CnrTestClient client;
    private static Map<String, Path> fixtures;

    @BeforeAll
    static void start() {
        registry = FixtureAppRegistry.builder().start();
        client = new CnrTestClient(registry.baseUrl());
        fixtures = FixturePackages.byName();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void baseUrlIsLoopbackCnr() {
        assertThat(registry.baseUrl()).isEqualTo("http://127.0.0.1:" + registry.port() + "/cnr");
        assertThat(client.getJson("/version").has("cnr-api")).isTrue();
    }

    @Test
    void listsEveryFixturePackageWithTheCnrShape() {
        JsonNode listing = client.getJson("/api/v1/packages?namespace=" + NS + "&media_type=helm");

        assertThat(fixtures).hasSize(25);
        List<String> names = new ArrayList<>();
        for (JsonNode pkg : listing) {
            names.add(pkg.path("name").asText());
            assertThat(pkg.path("namespace").asText()).isEqualTo(NS);
            assertThat(pkg.path("default").asText()).isEqualTo("1.0.0");
            assertThat(pkg.path("releases").toString()).isEqualTo("[\"1.0.0\"]");
            assertThat(pkg.path("manifests").toString()).isEqualTo("[\"helm\"]");
            assertThat(pkg.path("channels").isArray()).isTrue();
            assertThat(pkg.path("channels")).isEmpty();
            assertThat(pkg.path("visibility").asText()).isEqualTo("public");
            assertThat(pkg.path("created_at").asText()).matches(TIMESTAMP);
            assertThat(pkg.path("updated_at").asText()).matches(TIMESTAMP);
        }
        assertThat(names).containsExactlyElementsOf(fixtures.keySet().stream().map(n -> NS + "/" + n).toList());
        assertThat(registry.packageNames()).containsExactlyElementsOf(fixtures.keySet());
    }

    @Test
    void listingFiltersByNamespaceAndMediaType() {
        assertThat(client.getJson("/api/v1/packages")).hasSize(25);
        assertThat(client.getJson("/api/v1/packages?namespace=redhat-operators")).isEmpty();
        assertThat(client.getJson("/api/v1/packages?namespace=" + NS + "&media_type=docker")).isEmpty();
    }

    @Test
    void listsReleasesOfOnePackage() {
        JsonNode releases = client.getJson("/api/v1/packages/" + NS + "/etcd");

        assertThat(releases).hasSize(1);
        JsonNode release = releases.get(0);
        assertThat(release.path("package").asText()).isEqualTo(NS + "/etcd");
        assertThat(release.path("release").asText()).isEqualTo("1.0.0");
        assertThat(release.path("mediaType").asText()).isEqualTo("helm");
        assertThat(release.has("metadata")).isTrue();
        assertThat(release.path("metadata").isNull()).isTrue();
        assertThat(release.path("created_at").asText()).matches(TIMESTAMP);
        JsonNode content = release.path("content");
        assertThat(content.path("digest").asText()).matches("[0-9a-f]{64}");
        assertThat(content.path("size").asLong()).isPositive();
        assertThat(content.path("mediaType").asText()).isEqualTo("application/vnd.cnr.package.helm.v1.tar+gzip");
        assertThat(content.path("urls").isArray()).isTrue();
        assertThat(content.path("digest").asText()).isEqualTo(registry.latest("etcd").digest());
    }

    @Test
    void showsOneRelease() {
        JsonNode release = client.getJson("/api/v1/packages/" + NS + "/etcd/1.0.0/helm");

        assertThat(release.path("package").asText()).isEqualTo(NS + "/etcd");
        assertThat(release.path("release").asText()).isEqualTo("1.0.0");
        assertThat(release.path("channels").isArray()).isTrue();
        assertThat(release.path("created_at").asText()).matches(TIMESTAMP);
        assertThat(release.path("content").path("digest").asText()).isEqualTo(registry.latest("etcd").digest());
        assertThat(release.path("content").path("mediaType").asText())
                .isEqualTo("application/vnd.cnr.package.helm.v1.tar+gzip");
        assertThat(release.path("content").path("size").asLong()).isEqualTo(registry.latest("etcd").size());
    }

    @Test
    void blobDigestIsTheSha256OfTheDownloadedBytesForEveryPackage() {
        for (String name : fixtures.keySet()) {
            JsonNode content = client.getJson("/api/v1/packages/" + NS + "/" + name + "/1.0.0/helm").path("content");
            String digest = content.path("digest").asText();

            byte[] byDigest = client.download("/api/v1/packages/" + NS + "/" + name + "/blobs/sha256/" + digest);
            byte[] byRelease = client.download("/api/v1/packages/" + NS + "/" + name + "/1.0.0/helm/pull");

            assertThat(CnrTestClient.sha256(byDigest)).as(name).isEqualTo(digest);
            assertThat((long) byDigest.length).as(name).isEqualTo(content.path("size").asLong());
            assertThat(byRelease).as(name).isEqualTo(byDigest);
        }
    }

    @Test
    void blobAnswersWithCnrFileName() {
        String digest = registry.latest("etcd").digest();
        HttpResponse<byte[]> response = client.get("/api/v1/packages/" + NS + "/etcd/blobs/sha256/" + digest);

        assertThat(response.headers().firstValue("Content-Disposition"))
                .hasValue(NS + "_etcd_" + digest.substring(0, 8) + ".tar.gz");
    }

    @Test
    void formatJsonWrapsTheBlobInBase64() {
        String digest = registry.latest("etcd").digest();
        JsonNode wrapped = client.getJson("/api/v1/packages/" + NS + "/etcd/1.0.0/helm/pull?format=json");

        assertThat(wrapped.path("package").asText()).isEqualTo(NS + "/etcd");
        assertThat(wrapped.path("release").asText()).isEqualTo("1.0.0");
        assertThat(wrapped.path("filename").asText()).isEqualTo(NS + "_etcd_1.0.0.tar.gz");
        assertThat(CnrTestClient.sha256(Base64.getDecoder().decode(wrapped.path("blob").asText()))).isEqualTo(digest);
    }

    @Test
    void nestedArchivesHoldThePackageFileAndEveryVersionFile() throws IOException {
        for (Map.Entry<String, Path> fixture : fixtures.entrySet()) {
            String name = fixture.getKey();
            Path dir = fixture.getValue();
            byte[] archive = client.download("/api/v1/packages/" + NS + "/" + name + "/1.0.0/helm/pull");

            Map<String, byte[]> expected = new HashMap<>();
            expected.put(name + "/" + name + ".package.yaml", Files.readAllBytes(FixturePackages.packageFile(dir)));
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    if (file.getParent().equals(dir)) {
                        continue; // package file (renamed above) and ci.yaml
                    }
                    expected.put(name + "/" + dir.relativize(file), Files.readAllBytes(file));
                }
            }
            List<CnrTestClient.Entry> files = CnrTestClient.regularFiles(archive);

            assertThat(files).as(name).hasSizeGreaterThan(1);
            assertThat(files).extracting(CnrTestClient.Entry::name).as(name)
                    .containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (CnrTestClient.Entry file : files) {
                assertThat(file.content()).as(file.name()).isEqualTo(expected.get(file.name()));
            }
            assertThat(files).extracting(CnrTestClient.Entry::name)
                    .anyMatch(n -> n.endsWith(".clusterserviceversion.yaml"));
        }
    }

    @Test
    void archivesAreReproducibleTarGz() {
        byte[] archive = client.download("/api/v1/packages/" + NS + "/kubernetes-imagepuller-operator/1.0.0/helm/pull");

        // gzip: no FNAME flag, MTIME zero
        assertThat(archive[3]).isZero();
        assertThat(new byte[] {archive[4], archive[5], archive[6], archive[7]}).containsOnly(0);
        List<CnrTestClient.Entry> entries = CnrTestClient.untar(archive);
        assertThat(entries).extracting(CnrTestClient.Entry::name)
                .contains("kubernetes-imagepuller-operator/0.0.1/"
                        + "kubernetes-image-puller-operator.v0.0.1.clusterserviceversion.yaml")
                .isSorted();
        for (CnrTestClient.Entry entry : entries) {
            assertThat(entry.header().getLastModifiedDate().getTime()).isZero();
            assertThat(entry.header().getLongUserId()).isZero();
            assertThat(entry.header().getLongGroupId()).isZero();
            assertThat(entry.header().getUserName()).isEmpty();
            assertThat(entry.header().getGroupName()).isEmpty();
            assertThat(entry.header().getMode()).isEqualTo(entry.directory() ? 0755 : 0644);
        }
    }

    @Test
    void unknownPackageReleaseOrBlobAnswers404WithTheCnrError() {
        List<String> missing = List.of(
                "/api/v1/packages/" + NS + "/no-such-package",
                "/api/v1/packages/redhat-operators/etcd",
                "/api/v1/packages/" + NS + "/etcd/9.9.9/helm",
                "/api/v1/packages/" + NS + "/etcd/1.0.0/docker",
                "/api/v1/packages/" + NS + "/etcd/9.9.9/helm/pull",
                "/api/v1/packages/" + NS + "/etcd/blobs/sha256/" + "0".repeat(64),
                "/api/v1/packages/" + NS + "/etcd/blobs/sha256/" + registry.latest("jaeger").digest());
        for (String path : missing) {
            HttpResponse<byte[]> response = client.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            JsonNode error = CnrTestClient.json(response).path("error");
            assertThat(error.path("code").asText()).as(path).isEqualTo("package-not-found");
            assertThat(error.path("message").asText()).as(path).isNotEmpty();
        }
    }

    @Test
    void rejectsMalformedDigests() {
        for (String digest : List.of("A".repeat(64), "0".repeat(63), "0".repeat(65), "sha256:" + "0".repeat(64))) {
            HttpResponse<byte[]> response = client.get("/api/v1/packages/" + NS + "/etcd/blobs/sha256/" + digest);
            assertThat(response.statusCode()).as(digest).isEqualTo(400);
            assertThat(CnrTestClient.json(response).path("error").path("code").asText()).isEqualTo("invalid-usage");
        }
    }

    @Test
    void rejectsPathTricks() {
        String packages = "/cnr/api/v1/packages/";
        for (String path : List.of(
                packages + NS + "/../" + NS + "/etcd",
                packages + NS + "/etcd/blobs/sha256/..%2F..%2F..%2Fetc%2Fpasswd",
                packages + NS + "%2Fetcd",
                packages + NS + "//etcd",
                packages + NS + "/./etcd")) {
            assertThat(CnrTestClient.rawGetStatus(registry.port(), path)).as(path).isEqualTo(400);
        }
        assertThat(CnrTestClient.rawGetStatus(registry.port(), packages + NS + "/etcd/")).isEqualTo(200);
    }

    @Test
    void unknownRoutesAndMethodsAreRejected() {
        assertThat(client.get("/api/v1/nothing").statusCode()).isEqualTo(404);
        assertThat(client.get("/api/v2/packages").statusCode()).isEqualTo(404);
        HttpResponse<byte[]> post = client.post("/api/v1/packages", "{}");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(CnrTestClient.json(post).path("error").has("code")).isTrue();
    }

    @Test
    void countsRequestsPerEndpoint() {
        long before = registry.requestCount(CnrEndpoint.RELEASES);
        client.get("/api/v1/packages/" + NS + "/etcd");
        client.get("/api/v1/packages/" + NS + "/no-such-package");

        assertThat(registry.requestCount(CnrEndpoint.RELEASES)).isEqualTo(before + 2);
    }

    @Test
    void timestampsAreUtcWithoutZone() {
        String createdAt = client.getJson("/api/v1/packages/" + NS + "/etcd").get(0).path("created_at").asText();
        assertThat(CnrHandler.isoformat(registry.latest("etcd").createdAt())).isEqualTo(createdAt);
        assertThat(createdAt).doesNotContain("Z").doesNotContain("+");
    }
}
