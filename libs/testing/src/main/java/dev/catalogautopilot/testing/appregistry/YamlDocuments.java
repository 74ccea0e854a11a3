package dev.catalogautopilot.testing.appregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;

/** Reads and writes the single-document YAML files of a package manifest. */
final class YamlDocuments {

    /** Flattened bundles of large packages exceed SnakeYAML's default 3 MB document limit. */
    private static final int MAX_CODE_POINTS = 256 * 1024 * 1024;

    static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
            .loaderOptions(loaderOptions())
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .build());

    private YamlDocuments() {
    }

    static JsonNode read(Path file) {
        return parse(text(file), file.toString());
    }

    static JsonNode parse(String yaml, String origin) {
        try {
            JsonNode node = MAPPER.readTree(yaml);
            return node == null ? MAPPER.missingNode() : node;
        } catch (IOException e) {
            throw new IllegalArgumentException("Not valid YAML: " + origin + ": " + e.getMessage(), e);
        }
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        return options;
    }
}
