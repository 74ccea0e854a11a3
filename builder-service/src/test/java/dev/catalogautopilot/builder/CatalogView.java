package dev.catalogautopilot.builder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A file-based catalog reduced to what tests compare, written independently of the builder's own model: per
 * package its default channel, each channel's entries, and each bundle's image, properties and related images.
 */
record CatalogView(SortedMap<String, PackageView> packages) {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    record Entry(String name, String replaces, SortedSet<String> skips, String skipRange) {
    }

    record BundleView(String image, SortedSet<String> properties, SortedSet<String> relatedImages) {
    }

    record PackageView(String defaultChannel, SortedMap<String, List<Entry>> channels,
            SortedMap<String, BundleView> bundles) {
    }

    /** Every JSON/YAML FBC file below {@code dir}. */
    static CatalogView read(Path dir) {
        List<JsonNode> documents = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                ObjectMapper mapper = name.endsWith(".json") ? JSON : YAML;
                if (name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml")) {
                    mapper.readerFor(JsonNode.class).readValues(file.toFile())
                            .forEachRemaining(d -> documents.add((JsonNode) d));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return of(documents);
    }

    static CatalogView of(List<JsonNode> documents) {
        SortedMap<String, String> defaults = new TreeMap<>();
        SortedMap<String, SortedMap<String, List<Entry>>> channels = new TreeMap<>();
        SortedMap<String, SortedMap<String, BundleView>> bundles = new TreeMap<>();
        for (JsonNode doc : documents) {
            if (doc == null || doc.isNull()) {
                continue;
            }
            switch (doc.path("schema").asText()) {
                case "olm.package" -> defaults.put(doc.path("name").asText(), doc.path("defaultChannel").asText(null));
                case "olm.channel" -> {
                    List<Entry> entries = new ArrayList<>();
                    for (JsonNode e : doc.path("entries")) {
                        SortedSet<String> skips = new TreeSet<>();
                        e.path("skips").forEach(s -> skips.add(s.asText()));
                        entries.add(new Entry(e.path("name").asText(), text(e, "replaces"), skips, text(e, "skipRange")));
                    }
                    entries.sort(java.util.Comparator.comparing(Entry::name));
                    channels.computeIfAbsent(doc.path("package").asText(), k -> new TreeMap<>())
                            .put(doc.path("name").asText(), entries);
                }
                case "olm.bundle" -> {
                    SortedSet<String> properties = new TreeSet<>();
                    for (JsonNode p : doc.path("properties")) {
                        properties.add(canonical(p));
                    }
                    SortedSet<String> images = new TreeSet<>();
                    for (JsonNode r : doc.path("relatedImages")) {
                        images.add(r.path("name").asText("") + "=" + r.path("image").asText());
                    }
                    bundles.computeIfAbsent(doc.path("package").asText(), k -> new TreeMap<>())
                            .put(doc.path("name").asText(), new BundleView(text(doc, "image"), properties, images));
                }
                default -> {
                }
            }
        }
        SortedMap<String, PackageView> packages = new TreeMap<>();
        defaults.forEach((name, defaultChannel) -> packages.put(name, new PackageView(defaultChannel,
                channels.getOrDefault(name, new TreeMap<>()), bundles.getOrDefault(name, new TreeMap<>()))));
        return new CatalogView(packages);
    }

    static String canonical(JsonNode node) {
        try {
            return JSON.writeValueAsString(JSON.treeToValue(node, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }
}
