package dev.catalogautopilot.testing.appregistry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class HeadCsvAnnotatorTest {

    private static final String KEY = HeadCsvAnnotator.RELEASE_ANNOTATION;

    @Test
    void editsEveryFixtureHeadCsvByInsertingOneLine() throws IOException {
        for (Map.Entry<String, Path> fixture : FixturePackages.byName().entrySet()) {
            Path csv = headCsv(fixture.getValue());
            String original = Files.readString(csv);

            String edited = HeadCsvAnnotator.editText(original, KEY, "1.0.1").orElseThrow();

            assertThat(FixturePackages.parseYaml(edited)).as(fixture.getKey())
                    .isEqualTo(withAnnotation(FixturePackages.parseYaml(original), "1.0.1"));
            List<String> added = new ArrayList<>(edited.lines().toList());
            original.lines().forEach(added::remove);
            assertThat(added).as(fixture.getKey()).hasSize(1);
            assertThat(added.get(0).strip()).isEqualTo(KEY + ": \"1.0.1\"");
        }
    }

    @Test
    void annotatingAgainReplacesTheValue() {
        String yaml = "kind: ClusterServiceVersion\nmetadata:\n  name: a.v1\n  annotations:\n    other: x\nspec: {}\n";

        String once = HeadCsvAnnotator.annotateText(yaml, KEY, "1.0.1");
        String twice = HeadCsvAnnotator.annotateText(once, KEY, "1.0.2");

        assertThat(twice).isEqualTo(
                "kind: ClusterServiceVersion\nmetadata:\n  name: a.v1\n  annotations:\n    " + KEY + ": \"1.0.2\"\n"
                        + "    other: x\nspec: {}\n");
    }

    @Test
    void addsAnAnnotationsBlockWhenThereIsNone() {
        String yaml = "kind: ClusterServiceVersion\nmetadata:\n    name: a.v1\nspec:\n    version: 1.10\n";

        String edited = HeadCsvAnnotator.annotateText(yaml, KEY, "1.0.1");

        assertThat(edited).isEqualTo("kind: ClusterServiceVersion\nmetadata:\n    annotations:\n      " + KEY
                + ": \"1.0.1\"\n    name: a.v1\nspec:\n    version: 1.10\n");
    }

    @Test
    void fallsBackToReserialisingFlowStyleMetadata() {
        String yaml = "kind: ClusterServiceVersion\nmetadata: {name: a.v1, annotations: {other: x}}\n";

        String edited = HeadCsvAnnotator.annotateText(yaml, KEY, "1.0.1");

        JsonNode annotations = FixturePackages.parseYaml(edited).path("metadata").path("annotations");
        assertThat(annotations.path(KEY).asText()).isEqualTo("1.0.1");
        assertThat(annotations.path("other").asText()).isEqualTo("x");
    }

    @Test
    void annotatesTheHeadOfTheDefaultChannelInACopy(@org.junit.jupiter.api.io.TempDir Path temp) throws IOException {
        Path copy = temp.resolve("etcd");
        Path source = FixturePackages.byName().get("etcd");
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Path target = copy.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.write(target, Files.readAllBytes(path));
                }
            }
        }

        Path annotated = HeadCsvAnnotator.annotate(copy, KEY, "1.0.7");

        assertThat(annotated).isEqualTo(copy.resolve("0.9.4/etcdoperator.v0.9.4.clusterserviceversion.yaml"));
        assertThat(FixturePackages.readYaml(annotated).path("metadata").path("annotations").path(KEY).asText())
                .isEqualTo("1.0.7");
    }

    private static JsonNode withAnnotation(JsonNode csv, String value) {
        ObjectNode copy = csv.deepCopy();
        ObjectNode metadata = (ObjectNode) copy.get("metadata");
        ObjectNode annotations = metadata.get("annotations") instanceof ObjectNode a ? a
                : metadata.putObject("annotations");
        annotations.put(KEY, value);
        return copy;
    }

    /** Finds the default channel's head CSV by reading the files directly. */
    private static Path headCsv(Path packageDir) throws IOException {
        JsonNode pkg = FixturePackages.readYaml(FixturePackages.packageFile(packageDir));
        String defaultChannel = pkg.path("defaultChannel").asText(pkg.path("channels").get(0).path("name").asText());
        String head = null;
        for (JsonNode channel : pkg.path("channels")) {
            if (channel.path("name").asText().equals(defaultChannel)) {
                head = channel.path("currentCSV").asText();
            }
        }
        try (Stream<Path> files = Files.walk(packageDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                JsonNode doc = FixturePackages.readYaml(file);
                if (doc.path("kind").asText().equals("ClusterServiceVersion")
                        && doc.path("metadata").path("name").asText().equals(head)) {
                    return file;
                }
            }
        }
        throw new AssertionError("No head CSV " + head + " in " + packageDir);
    }
}
