package dev.catalogautopilot.testing.scale;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.testing.Fixtures;
import dev.catalogautopilot.testing.appregistry.FixtureAppRegistry;
import dev.catalogautopilot.testing.upstream.CsvImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator against its spec: exact counts, byte-identical output for the same spec, and a catalog that the
 * builder's package-manifest rules accept, checked here independently (libs/testing cannot depend on the builder):
 * every channel head exists, every {@code replaces} chain ends without a loop or a gap, every CSV is on the default
 * channel with a unique name and a semver version, and every referenced image is a pinned reference.
 */
class ScaleCatalogGeneratorTest {

    /** More packages than fixtures, so templates repeat; bundles with both fewer and more images than the fixture's. */
    private static final ScaleSpec SPEC = new ScaleSpec(27, 120, 400, 60);
    private static final String HOST = "127.0.0.1:5999";
    private static final Pattern SEMVER = Pattern.compile("\\d+\\.\\d+\\.\\d+");
    private static final ObjectMapper YAML = ScaleYaml.mapper();

    @TempDir
    static Path work;
    private static ScaleCatalog catalog;

    @BeforeAll
    static void generate() {
        catalog = ScaleCatalogGenerator.generate(SPEC, Fixtures.operators(), HOST, work.resolve("first"));
    }

    @Test
    void theCatalogHasExactlyTheSpecifiedCounts() throws IOException {
        List<Path> packageDirs = list(catalog.packagesDir());
        assertThat(packageDirs).hasSize(SPEC.packages());
        assertThat(catalog.packageNames()).hasSize(SPEC.packages()).doesNotHaveDuplicates();
        assertThat(csvFiles(catalog.packagesDir())).hasSize(SPEC.bundles());
        Set<String> named = CsvImages.in(catalog.packagesDir());
        assertThat(named).hasSize(SPEC.images()).isEqualTo(catalog.references());
        assertThat(named.stream().map(r -> ImageReference.parse(r).repository()).distinct())
                .hasSize(SPEC.repositories());
        assertThat(catalog.repositories()).hasSize(SPEC.repositories());
    }

    @Test
    void theSameSpecGivesByteIdenticalFiles() throws IOException {
        ScaleCatalog again = ScaleCatalogGenerator.generate(SPEC, Fixtures.operators(), HOST, work.resolve("second"));
        assertThat(digests(again.packagesDir())).isEqualTo(digests(catalog.packagesDir()));
        assertThat(again.images()).isEqualTo(catalog.images());
    }

    @Test
    void everyPackageIsValidPackageManifestContent() throws IOException {
        for (Path dir : list(catalog.packagesDir())) {
            String name = dir.getFileName().toString();
            JsonNode packageYaml = YAML.readTree(dir.resolve(name + ".package.yaml").toFile());
            assertThat(packageYaml.path("packageName").asText()).isEqualTo(name);
            Map<String, JsonNode> csvs = new HashMap<>();
            for (Path csvFile : csvFiles(dir)) {
                JsonNode csv = YAML.readTree(csvFile.toFile());
                String csvName = csv.path("metadata").path("name").asText();
                assertThat(csvs.put(csvName, csv)).as("CSV name %s is unique", csvName).isNull();
                assertThat(csv.path("spec").path("version").asText()).matches(SEMVER);
                assertThat(csvFiles(csvFile.getParent())).as("one CSV per version directory").hasSize(1);
            }
            Map<String, List<String>> chains = new TreeMap<>();
            for (JsonNode channel : packageYaml.path("channels")) {
                List<String> chain = new ArrayList<>();
                for (String current = channel.path("currentCSV").asText(); current != null; ) {
                    assertThat(csvs).as("%s in %s", current, name).containsKey(current);
                    assertThat(chain).as("replaces chain of %s loops", name).doesNotContain(current);
                    chain.add(current);
                    JsonNode replaces = csvs.get(current).path("spec").path("replaces");
                    current = replaces.isMissingNode() ? null : replaces.asText();
                }
                chains.put(channel.path("name").asText(), chain);
            }
            String defaultChannel = packageYaml.path("defaultChannel").asText();
            assertThat(chains).containsKey(defaultChannel);
            assertThat(chains.get(defaultChannel)).as("every CSV of %s is on its default channel", name)
                    .containsExactlyInAnyOrderElementsOf(csvs.keySet());
            assertThat(chains.values().stream().map(c -> c.get(0))).as("channel heads").doesNotHaveDuplicates();
            for (JsonNode csv : csvs.values()) {
                assertThat(CsvImages.of(csv)).isNotEmpty().allSatisfy(reference -> {
                    ImageReference parsed = ImageReference.parse(reference);
                    assertThat(parsed.registry()).isEqualTo(HOST);
                    assertThat(parsed.repository()).startsWith(name + "/");
                    assertThat(parsed.digest()).isNotNull();
                });
                assertThat(csv.path("spec").has("skips")).isFalse();
            }
        }
    }

    @Test
    void crdSchemasAreEmptiedAndEverythingElseKept() throws IOException {
        Path crd = Files.walk(catalog.packagesDir())
                .filter(p -> p.getFileName().toString().equals("etcdclusters.etcd.database.coreos.com.crd.yaml"))
                .findFirst().orElseThrow();
        JsonNode document = YAML.readTree(crd.toFile());
        assertThat(document.path("kind").asText()).isEqualTo("CustomResourceDefinition");
        assertThat(document.path("metadata").path("name").asText()).isEqualTo("etcdclusters.etcd.database.coreos.com");
        assertThat(document.findValues("openAPIV3Schema")).allSatisfy(schema -> assertThat(schema.path("properties")
                .isMissingNode()).isTrue());
    }

    @Test
    void schemaBodiesAreCutAsTextOnlyUnderTheirKey() {
        String yaml = """
                spec:
                  versions:
                  - name: v1
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          size:

                            type: integer
                    served: true
                  - openAPIV3Schema:
                      type: object
                    name: v2
                """;
        assertThat(TemplatePackage.withoutSchemas(yaml)).isEqualTo("""
                spec:
                  versions:
                  - name: v1
                    schema:
                      openAPIV3Schema: {}
                    served: true
                  - openAPIV3Schema: {}
                    name: v2
                """);
    }

    @Test
    void theFixtureAppRegistryServesTheGeneratedPackages() throws Exception {
        try (FixtureAppRegistry registry = FixtureAppRegistry.builder().packagesDir(catalog.packagesDir()).start()) {
            HttpResponse<String> listing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    registry.baseUrl() + "/api/v1/packages?namespace=" + registry.namespace())).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode packages = new ObjectMapper().readTree(listing.body());
            Set<String> names = new HashSet<>();
            packages.forEach(p -> names.add(p.path("name").asText()));
            assertThat(names).isEqualTo(catalog.packageNames().stream()
                    .map(n -> registry.namespace() + "/" + n).collect(Collectors.toSet()));
            assertThat(registry.latest(catalog.packageNames().get(0)).size()).isPositive();
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static List<Path> csvFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".clusterserviceversion.yaml")).sorted()
                    .toList();
        }
    }

    private static Map<String, Digest> digests(Path root) throws IOException {
        Map<String, Digest> digests = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                digests.put(root.relativize(file).toString(), Digest.sha256(Files.readAllBytes(file)));
            }
        }
        return digests;
    }
}
