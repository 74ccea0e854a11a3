package dev.catalogautopilot.testing.appregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.catalogautopilot.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;

/** What the fixture packages hold, read straight from the files, to compare the server's answers with. */
final class FixturePackages {

    static final ObjectMapper YAML = yamlMapper();

    private FixturePackages() {
    }

    /** packageName to package directory, for every package under {@link Fixtures#operators()}. */
    static Map<String, Path> byName() {
        Map<String, Path> packages = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(Fixtures.operators())) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                packages.put(readYaml(packageFile(dir)).path("packageName").asText(), dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return packages;
    }

    static Path packageFile(Path packageDir) {
        try (Stream<Path> files = Files.list(packageDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".package.yaml")).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readYaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parseYaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectMapper yamlMapper() {
        LoaderOptions options = new LoaderOptions();
        // A flattened bundle of a big package is larger than SnakeYAML's default 3 MB limit.
        options.setCodePointLimit(128 * 1024 * 1024);
        return new ObjectMapper(YAMLFactory.builder().loaderOptions(options).build());
    }
}
