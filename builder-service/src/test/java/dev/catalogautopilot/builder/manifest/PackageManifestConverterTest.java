package dev.catalogautopilot.builder.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catalogautopilot.builder.fbc.Bundle;
import dev.catalogautopilot.builder.fbc.CatalogPackage;
import dev.catalogautopilot.builder.fbc.ChannelGraph;
import dev.catalogautopilot.builder.fbc.Gvk;
import dev.catalogautopilot.builder.fbc.Property;
import dev.catalogautopilot.builder.fbc.RelatedImage;
import dev.catalogautopilot.builder.input.BadInputException;
import dev.catalogautopilot.builder.input.InputLimits;
import dev.catalogautopilot.builder.input.SafeYaml;
import dev.catalogautopilot.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PackageManifestConverterTest {

    private final SafeYaml yaml = new SafeYaml(InputLimits.DEFAULT);
    private final PackageArchive archive = new PackageArchive(yaml);
    private final PackageManifestConverter converter = new PackageManifestConverter(yaml);

    @Test
    void convertsTheNestedFormLikeOpm() {
        CatalogPackage etcd = convert(Fixtures.operators().resolve("etcd"), "etcd");
        assertThat(etcd.defaultChannel()).isEqualTo("singlenamespace-alpha");
        assertThat(etcd.channels()).extracting(c -> c.name() + "=" + new ChannelGraph(c).head().orElseThrow())
                .containsExactly("alpha=etcdoperator.v0.6.1", "clusterwide-alpha=etcdoperator.v0.9.4-clusterwide",
                        "singlenamespace-alpha=etcdoperator.v0.9.4");
        assertThat(etcd.channel("singlenamespace-alpha").orElseThrow().entries())
                .extracting(e -> e.name() + "<" + e.replaces())
                .containsExactly("etcdoperator.v0.9.0<null", "etcdoperator.v0.9.2<etcdoperator.v0.9.0",
                        "etcdoperator.v0.9.4<etcdoperator.v0.9.2");
        assertThat(etcd.bundles()).hasSize(6);
        Bundle head = etcd.bundle("etcdoperator.v0.9.4").orElseThrow();
        assertThat(head.image()).isNull();
        assertThat(head.version()).contains("0.9.4");
        assertThat(head.providedApis()).contains(new Gvk("etcd.database.coreos.com", "v1beta2", "EtcdCluster"));
        assertThat(head.relatedImages()).extracting(RelatedImage::image)
                .contains("quay.io/coreos/etcd-operator@sha256:66a37fd61a06a43969854ee6d3e21087a98b93838e284a6086b13917f96b0d9b");
        long objects = head.properties().stream().filter(p -> p.type().equals(Property.BUNDLE_OBJECT)).count();
        assertThat(objects).as("the CSV and its three CRDs").isEqualTo(4);
        String csv = head.properties().stream().filter(p -> p.type().equals(Property.BUNDLE_OBJECT))
                .map(p -> new String(Base64.getDecoder().decode(p.value().path("data").asText()), StandardCharsets.UTF_8))
                .filter(json -> json.contains("\"kind\":\"ClusterServiceVersion\"")).findFirst().orElseThrow();
        assertThat(csv).contains("\"name\":\"etcdoperator.v0.9.4\"");
    }

    @Test
    void keepsDeclaredPropertiesAndRequiredApis() {
        CatalogPackage prometheus = convert(Fixtures.operators().resolve("prometheus"), "prometheus");
        assertThat(prometheus.bundles()).anySatisfy(b -> assertThat(b.properties())
                .anySatisfy(p -> assertThat(p.type()).isEqualTo("olm.maxOpenShiftVersion")));
    }

    @Test
    void convertsTheFlattenedForm() {
        String bundle = """
                data:
                  packages: |
                    - packageName: demo
                      channels:
                      - name: stable
                        currentCSV: demo.v2.0.0
                  clusterServiceVersions: |
                    - apiVersion: operators.coreos.com/v1alpha1
                      kind: ClusterServiceVersion
                      metadata:
                        name: demo.v1.0.0
                      spec:
                        version: 1.0.0
                        customresourcedefinitions:
                          owned: [{name: demos.example.com, version: v1, kind: Demo}]
                    - apiVersion: operators.coreos.com/v1alpha1
                      kind: ClusterServiceVersion
                      metadata:
                        name: demo.v2.0.0
                        annotations: {olm.skipRange: "<2.0.0", containerImage: quay.io/demo/op:2}
                      spec:
                        version: 2.0.0
                        replaces: demo.v1.0.0
                        customresourcedefinitions:
                          owned: [{name: demos.example.com, version: v1, kind: Demo}]
                  customResourceDefinitions: |
                    - apiVersion: apiextensions.k8s.io/v1
                      kind: CustomResourceDefinition
                      metadata:
                        name: demos.example.com
                """;
        SortedMap<String, byte[]> files = new TreeMap<>();
        files.put("bundle.yaml", bundle.getBytes(StandardCharsets.UTF_8));
        CatalogPackage demo = converter.convert(archive.parse(files, "demo"), "demo");
        assertThat(demo.defaultChannel()).as("the only channel").isEqualTo("stable");
        assertThat(demo.channel("stable").orElseThrow().entry("demo.v2.0.0").orElseThrow().skipRange())
                .isEqualTo("<2.0.0");
        Bundle v2 = demo.bundle("demo.v2.0.0").orElseThrow();
        assertThat(v2.relatedImages()).containsExactly(new RelatedImage(null, "quay.io/demo/op:2"));
        assertThat(v2.properties().stream().filter(p -> p.type().equals(Property.BUNDLE_OBJECT))).hasSize(2);
    }

    @Test
    void rejectsTheInvalidFixturePackageAndBrokenChains() {
        assertThatThrownBy(() -> convert(Fixtures.invalid().resolve("3scale-community-operator"),
                "3scale-community-operator"))
                .isInstanceOfSatisfying(BadInputException.class,
                        e -> assertThat(e.kind()).isEqualTo(BadInputException.Kind.INVALID_PACKAGE))
                .hasMessageContaining("currentCSV 3scale-community-operator.v0.3.0 is missing from the package")
                .hasMessageContaining("two CSVs are named 3scale-community-operator.v0.4.0");
        SortedMap<String, byte[]> files = files(Fixtures.operators().resolve("etcd"));
        files.replaceAll((path, bytes) -> path.endsWith("etcdoperator.v0.9.2.clusterserviceversion.yaml")
                ? new String(bytes, StandardCharsets.UTF_8).replace("replaces: etcdoperator.v0.9.0",
                "replaces: etcdoperator.v0.8.0").getBytes(StandardCharsets.UTF_8) : bytes);
        assertThatThrownBy(() -> converter.convert(archive.parse(files, "etcd"), "etcd"))
                .hasMessageContaining("broken replaces chain: etcdoperator.v0.9.2 replaces etcdoperator.v0.8.0");
        files.replaceAll((path, bytes) -> path.endsWith("etcdoperator.v0.9.4.clusterserviceversion.yaml")
                ? new String(bytes, StandardCharsets.UTF_8).replace("name: etcdoperator.v0.9.4",
                "generateName: etcdoperator.v0.9.4").getBytes(StandardCharsets.UTF_8) : bytes);
        assertThatThrownBy(() -> converter.convert(archive.parse(files, "etcd"), "etcd"))
                .hasMessageContaining("has no metadata.name");
    }

    private CatalogPackage convert(Path dir, String name) {
        return converter.convert(archive.parse(files(dir), name), name);
    }

    /** The package directory as the nested archive holds it. */
    static SortedMap<String, byte[]> files(Path dir) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String relative = dir.relativize(file).toString();
                if (!relative.equals("ci.yaml")) {
                    files.put(dir.getFileName() + "/" + relative, Files.readAllBytes(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
