package dev.catalogautopilot.testing.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.catalogautopilot.testing.upstream.CsvImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A fixture package read once as the pattern for generated copies: its channel names and default channel, and per
 * version directory the CSV (parsed), the images it names, and the other manifests as bytes. CRD validation schemas
 * are replaced by {@code x-kubernetes-preserve-unknown-fields}: the fixtures' 29 MB of schemas multiplied by
 * fifty would make the generated catalog ten times the size of a real one, and nothing in the pipeline reads them.
 */
record TemplatePackage(String name, List<String> channels, String defaultChannel, List<Bundle> bundles) {

    /** One version directory: its CSV, the CSV's images in document order, and its other files by name. */
    record Bundle(JsonNode csv, List<String> images, Map<String, byte[]> files) {
    }

    /** Templates by directory: a JVM that generates several catalogs reads the fixtures once. Never modified. */
    private static final Map<Path, List<TemplatePackage>> LOADED = new ConcurrentHashMap<>();

    /** Every package directory under {@code operatorsDir} that has a package file and a CSV, sorted by name. */
    static List<TemplatePackage> load(Path operatorsDir) {
        return LOADED.computeIfAbsent(operatorsDir.toAbsolutePath().normalize(), TemplatePackage::read);
    }

    private static List<TemplatePackage> read(Path operatorsDir) {
        List<Path> dirs;
        try (Stream<Path> list = Files.list(operatorsDir)) {
            dirs = list.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + operatorsDir, e);
        }
        // YAML parsing dominates; packages are independent, and the ordered collect keeps the result deterministic.
        List<TemplatePackage> packages = dirs.parallelStream().map(TemplatePackage::readPackage)
                .filter(p -> !p.bundles().isEmpty()).toList();
        if (packages.isEmpty()) {
            throw new IllegalArgumentException("No package-manifest packages under " + operatorsDir);
        }
        return packages;
    }

    private static TemplatePackage readPackage(Path dir) {
        List<Path> entries = list(dir);
        Path packageFile = entries.stream().filter(Files::isRegularFile)
                .filter(p -> p.getFileName().toString().matches(".*\\.package\\.ya?ml")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No <name>.package.yaml in " + dir));
        JsonNode packageYaml = ScaleYaml.read(text(packageFile), packageFile.toString());
        List<String> channels = new ArrayList<>();
        packageYaml.path("channels").forEach(c -> channels.add(c.path("name").asText()));
        String defaultChannel = packageYaml.path("defaultChannel").asText(channels.isEmpty() ? "" : channels.get(0));
        List<Bundle> bundles = new ArrayList<>();
        for (Path versionDir : entries.stream().filter(Files::isDirectory).toList()) {
            JsonNode csv = null;
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (Path file : list(versionDir)) {
                String fileName = file.getFileName().toString();
                if (!Files.isRegularFile(file) || !fileName.matches(".*\\.(ya?ml|json)")) {
                    continue;
                }
                String text = text(file);
                if (!text.contains("ClusterServiceVersion") && !text.contains("CustomResourceDefinition")) {
                    files.put(fileName, text.getBytes(StandardCharsets.UTF_8));
                    continue;
                }
                // Schemas are most of a CRD's bytes: cut them as text before parsing what is left.
                String trimmed = withoutSchemas(text);
                JsonNode document = ScaleYaml.read(trimmed, file.toString());
                String kind = document.path("kind").asText();
                if (kind.equals("ClusterServiceVersion")) {
                    csv = trimmed.length() == text.length() ? document : ScaleYaml.read(text, file.toString());
                } else if (kind.equals("CustomResourceDefinition")) {
                    files.put(fileName, ScaleYaml.write(withoutSchemas(document)));
                } else {
                    files.put(fileName, text.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (csv != null) {
                bundles.add(new Bundle(csv, List.copyOf(CsvImages.of(csv)), files));
            }
        }
        return new TemplatePackage(packageYaml.path("packageName").asText(dir.getFileName().toString()),
                List.copyOf(channels), defaultChannel, List.copyOf(bundles));
    }

    /**
     * Block YAML without the bodies of its {@code openAPIV3Schema:} keys (the deeper-indented lines after each), each
     * replaced by an empty mapping; text in any other layout comes back unchanged, and the parse completes the job.
     */
    static String withoutSchemas(String yaml) {
        String[] lines = yaml.split("\n", -1);
        StringBuilder out = new StringBuilder(yaml.length());
        int cutIndent = -1;
        for (String line : lines) {
            int indent = indent(line);
            if (cutIndent >= 0) {
                if (line.isBlank() || indent > cutIndent) {
                    continue;
                }
                cutIndent = -1;
            }
            String content = line.strip();
            if (content.equals("openAPIV3Schema:") || content.equals("- openAPIV3Schema:")) {
                out.append(line).append(" {}\n");
                cutIndent = indent + (content.startsWith("-") ? 2 : 0);
                continue;
            }
            out.append(line).append('\n');
        }
        return out.substring(0, Math.max(0, out.length() - 1));
    }

    private static int indent(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** A copy of a CRD whose every {@code openAPIV3Schema} accepts anything. */
    static JsonNode withoutSchemas(JsonNode crd) {
        JsonNode copy = crd.deepCopy();
        replaceSchemas(copy);
        return copy;
    }

    private static void replaceSchemas(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            for (String field : names) {
                if (field.equals("openAPIV3Schema")) {
                    object.set(field, JsonNodeFactory.instance.objectNode().put("type", "object")
                            .put("x-kubernetes-preserve-unknown-fields", true));
                } else {
                    replaceSchemas(object.get(field));
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(TemplatePackage::replaceSchemas);
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }

    private static String text(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
