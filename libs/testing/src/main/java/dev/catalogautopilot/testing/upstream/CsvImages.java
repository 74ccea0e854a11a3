package dev.catalogautopilot.testing.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The container images a ClusterServiceVersion names: {@code metadata.annotations.containerImage},
 * {@code spec.relatedImages[].image}, and the containers and init containers of
 * {@code spec.install.spec.deployments[].spec.template.spec}.
 */
public final class CsvImages {

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder().loaderOptions(loaderOptions()).build());

    private CsvImages() {
    }

    /** Every image named by the CSVs in the YAML and JSON files under {@code dirs}, sorted. */
    public static SortedSet<String> in(List<Path> dirs) {
        List<Path> files = dirs.stream().flatMap(dir -> manifestFiles(dir).stream()).toList();
        // YAML parsing dominates and files are independent: use every core.
        return files.parallelStream()
                .flatMap(file -> {
                    String text = read(file);
                    // Most files are CRDs; skip parsing anything that cannot hold a CSV.
                    return text.contains("ClusterServiceVersion")
                            ? documents(text, file).stream().flatMap(document -> of(document).stream())
                            : Stream.empty();
                })
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** As {@link #in(List)} for one directory. */
    public static SortedSet<String> in(Path dir) {
        return in(List.of(dir));
    }

    /** The images one document names, in document order; empty unless it is a ClusterServiceVersion. */
    public static Set<String> of(JsonNode document) {
        Set<String> images = new LinkedHashSet<>();
        if (document == null || !"ClusterServiceVersion".equals(document.path("kind").asText())) {
            return images;
        }
        add(images, document.path("metadata").path("annotations").path("containerImage"));
        for (JsonNode related : document.path("spec").path("relatedImages")) {
            add(images, related.path("image"));
        }
        for (JsonNode deployment : document.path("spec").path("install").path("spec").path("deployments")) {
            JsonNode podSpec = deployment.path("spec").path("template").path("spec");
            for (String list : List.of("containers", "initContainers")) {
                for (JsonNode container : podSpec.path(list)) {
                    add(images, container.path("image"));
                }
            }
        }
        return images;
    }

    /** The YAML and JSON files under {@code dir}, sorted by path. */
    static List<Path> manifestFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }

    private static void add(Set<String> images, JsonNode value) {
        if (value.isTextual() && !value.asText().isBlank()) {
            images.add(value.asText());
        }
    }

    private static List<JsonNode> documents(String text, Path file) {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(text)) {
            return docs.readAll();
        } catch (IOException e) {
            throw new IllegalArgumentException("Not valid YAML: " + file + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        // Some fixture CSVs embed large CRDs; SnakeYAML's default limit is 3 MB.
        options.setCodePointLimit(64 * 1024 * 1024);
        return options;
    }
}
