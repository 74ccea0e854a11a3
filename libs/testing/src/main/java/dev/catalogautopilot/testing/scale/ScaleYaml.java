package dev.catalogautopilot.testing.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.yaml.snakeyaml.LoaderOptions;

/** How the generator reads fixture manifests and writes generated ones: block YAML, reproducibly. */
final class ScaleYaml {

    /** Some fixture CSVs embed CRDs larger than SnakeYAML's default 3 MB document limit. */
    private static final int MAX_CODE_POINTS = 64 * 1024 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
            .loaderOptions(loaderOptions())
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .build());

    private ScaleYaml() {
    }

    static JsonNode read(String text, String origin) {
        try {
            JsonNode node = MAPPER.readTree(text);
            return node == null ? MAPPER.missingNode() : node;
        } catch (IOException e) {
            throw new IllegalArgumentException("Not valid YAML: " + origin + ": " + e.getMessage(), e);
        }
    }

    static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        return options;
    }
}
