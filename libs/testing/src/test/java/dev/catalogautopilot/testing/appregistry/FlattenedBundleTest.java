package dev.catalogautopilot.testing.appregistry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The flattened form, checked through HTTP against the fixture files. */
class FlattenedBundleTest {

    private static final String NS = FixtureAppRegistry.DEFAULT_NAMESPACE;

    private static FixtureAppRegistry registry;
    private static CnrTestClient client;

    @BeforeAll
    static void start() {
        registry = FixtureAppRegistry.builder()
                .form(ArchiveForm.FLATTENED)
                .form("etcd", ArchiveForm.NESTED)
                .start();
        client = new CnrTestClient(registry.baseUrl());
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void everyFlattenedBundleParsesIntoTheThreeListsWithTheFixtureContent() throws IOException {
        for (Map.Entry<String, Path> fixture : FixturePackages.byName().entrySet()) {
            String name = fixture.getKey();
            if (name.equals("etcd")) {
                continue;
            }
            byte[] archive = client.download("/api/v1/packages/" + NS + "/" + name + "/1.0.0/helm/pull");
            List<CnrTestClient.Entry> files = CnrTestClient.regularFiles(archive);
            assertThat(files).extracting(CnrTestClient.Entry::name).as(name).containsExactly("bundle.yaml");

            JsonNode data = FixturePackages.parseYaml(files.get(0).text()).path("data");
            assertThat(data.fieldNames()).toIterable().as(name)
                    .containsExactly("customResourceDefinitions", "clusterServiceVersions", "packages");
            data.forEach(value -> assertThat(value.isTextual()).as(name + " value is a YAML string").isTrue());
            JsonNode crds = FixturePackages.parseYaml(data.path("customResourceDefinitions").asText());
            JsonNode csvs = FixturePackages.parseYaml(data.path("clusterServiceVersions").asText());
            JsonNode packages = FixturePackages.parseYaml(data.path("packages").asText());

            Manifests expected = Manifests.of(fixture.getValue());
            assertThat(packages).as(name).containsExactly(FixturePackages.readYaml(
                    FixturePackages.packageFile(fixture.getValue())));
            assertThat(csvs).as(name + " CSVs").containsExactlyInAnyOrderElementsOf(expected.csvs());
            assertThat(crds).as(name + " CRDs").hasSize(expected.crdsByName().size());
            for (JsonNode crd : crds) {
                assertThat(expected.crdsByName().get(crd.path("metadata").path("name").asText()))
                        .as(name + " CRD " + crd.path("metadata").path("name")).contains(crd);
            }
        }
    }

    @Test
    void aPackageCanKeepTheNestedForm() {
        byte[] archive = client.download("/api/v1/packages/" + NS + "/etcd/1.0.0/helm/pull");

        assertThat(CnrTestClient.regularFiles(archive)).extracting(CnrTestClient.Entry::name)
                .contains("etcd/etcd.package.yaml")
                .doesNotContain("bundle.yaml");
    }

    @Test
    void flattenedDigestsDifferFromNestedOnesAndAreReproducible() {
        try (FixtureAppRegistry nested = FixtureAppRegistry.builder().start();
             FixtureAppRegistry flattened = FixtureAppRegistry.builder().form(ArchiveForm.FLATTENED).start()) {
            String digest = registry.latest("atlasmap-operator").digest();
            assertThat(flattened.latest("atlasmap-operator").digest()).isEqualTo(digest);
            assertThat(nested.latest("atlasmap-operator").digest()).isNotEqualTo(digest);
        }
    }

    /** The CSVs of a package directory and its CRDs grouped by name, read from the files. */
    private record Manifests(List<JsonNode> csvs, Map<String, List<JsonNode>> crdsByName) {
        static Manifests of(Path packageDir) throws IOException {
            List<JsonNode> csvs = new ArrayList<>();
            Map<String, List<JsonNode>> crds = new HashMap<>();
            try (Stream<Path> files = Files.walk(packageDir)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    if (file.getParent().equals(packageDir)) {
                        continue;
                    }
                    JsonNode doc = FixturePackages.readYaml(file);
                    switch (doc.path("kind").asText()) {
                        case "ClusterServiceVersion" -> csvs.add(doc);
                        case "CustomResourceDefinition" -> crds.computeIfAbsent(
                                doc.path("metadata").path("name").asText(), k -> new ArrayList<>()).add(doc);
                        default -> {
                        }
                    }
                }
            }
            return new Manifests(csvs, crds);
        }
    }
}
