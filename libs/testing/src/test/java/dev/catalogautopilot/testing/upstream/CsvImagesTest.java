package dev.catalogautopilot.testing.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.catalogautopilot.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class CsvImagesTest {

    @Test
    void fixtureCsvsNameExactlyTheImagesOfImagesTxt() throws IOException {
        Set<String> expected = new TreeSet<>(Files.readAllLines(Fixtures.root().resolve("images.txt")));
        expected.remove("");

        Set<String> operators = CsvImages.in(Fixtures.operators());
        Set<String> found = new TreeSet<>(operators);
        found.addAll(CsvImages.in(Fixtures.bundles()));

        assertThat(expected).hasSize(405);
        assertThat(found).containsExactlyElementsOf(expected);
        // images.txt covers both layouts: the package manifests alone name fewer images.
        assertThat(operators).hasSize(366);
    }

    @Test
    void readsAllFourPlacesOfOneCsv() throws IOException {
        JsonNode csv = new ObjectMapper(new YAMLFactory()).readTree("""
                apiVersion: operators.coreos.com/v1alpha1
                kind: ClusterServiceVersion
                metadata:
                  annotations:
                    containerImage: quay.io/example/operator:1.0
                spec:
                  relatedImages:
                    - name: operand
                      image: quay.io/example/operand@sha256:8f1b5f1e5e2b8f8e0ad04c1bd5b5d0f6a6fd0f4d4b21f4f6b8d2c4a3f8d4e2a1
                  install:
                    strategy: deployment
                    spec:
                      deployments:
                        - name: example
                          spec:
                            template:
                              spec:
                                initContainers:
                                  - name: init
                                    image: busybox
                                containers:
                                  - name: operator
                                    image: quay.io/example/operator:1.0
                                  - name: sidecar
                                    image: example/sidecar:2
                """);

        assertThat(CsvImages.of(csv)).containsExactly(
                "quay.io/example/operator:1.0",
                "quay.io/example/operand@sha256:8f1b5f1e5e2b8f8e0ad04c1bd5b5d0f6a6fd0f4d4b21f4f6b8d2c4a3f8d4e2a1",
                "example/sidecar:2",
                "busybox");
        assertThat(CsvImages.of(new ObjectMapper().readTree("{\"kind\":\"CustomResourceDefinition\"}"))).isEmpty();
    }

    @Test
    void walksMultiDocumentFiles(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("two.yaml"), """
                kind: CustomResourceDefinition
                ---
                kind: ClusterServiceVersion
                metadata: {annotations: {containerImage: "quay.io/a/b:1"}}
                """);
        Files.writeString(dir.resolve("notes.txt"), "kind: ClusterServiceVersion\nmetadata: {annotations: {containerImage: x/y:1}}");

        assertThat(CsvImages.in(dir)).containsExactly("quay.io/a/b:1");
    }
}
