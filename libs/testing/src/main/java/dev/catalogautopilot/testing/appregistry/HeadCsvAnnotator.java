package dev.catalogautopilot.testing.appregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sets one annotation on the head CSV of a package's default channel. It edits the text in place, so nothing else in
 * the file changes, and re-serialises the document only if the edited text would not parse to the intended result.
 */
final class HeadCsvAnnotator {

    /** The annotation {@link FixtureAppRegistry#publishRelease(String)} sets to the new release. */
    static final String RELEASE_ANNOTATION = "catalogautopilot.dev/release";

    private HeadCsvAnnotator() {
    }

    /** Annotates the head CSV inside {@code packageDir}, which must be a writable copy. */
    static Path annotate(Path packageDir, String key, String value) {
        PackageManifest manifest = PackageManifest.read(packageDir);
        String head = manifest.defaultHead().orElseThrow(() -> new IllegalStateException(
                "Package " + manifest.packageName() + " names no currentCSV for its default channel"));
        Path csv = findCsv(manifest, head);
        String edited = annotateText(YamlDocuments.text(csv), key, value);
        try {
            Files.writeString(csv, edited, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + csv, e);
        }
        return csv;
    }

    static String annotateText(String yaml, String key, String value) {
        JsonNode expected = withAnnotation(YamlDocuments.parse(yaml, "CSV"), key, value);
        return editText(yaml, key, value)
                .filter(edited -> YamlDocuments.parse(edited, "edited CSV").equals(expected))
                .orElseGet(() -> YamlDocuments.write(expected));
    }

    /** The text with the annotation line inserted or replaced, or empty when the layout is not plain block YAML. */
    static Optional<String> editText(String yaml, String key, String value) {
        String newline = yaml.contains("\r\n") ? "\r\n" : "\n";
        List<String> lines = new ArrayList<>(List.of(yaml.replace("\r\n", "\n").split("\n", -1)));
        int metadata = -1;
        for (int i = 0; i < lines.size() && metadata < 0; i++) {
            if (isKeyLine(lines.get(i), 0, "metadata")) {
                metadata = i;
            }
        }
        if (metadata < 0) {
            return Optional.empty();
        }
        int metadataEnd = blockEnd(lines, metadata, 0);
        int childIndent = firstContentIndent(lines, metadata, metadataEnd);
        if (childIndent < 0) {
            return Optional.empty();
        }
        String annotationLine = "%s: \"%s\"".formatted(key, value.replace("\\", "\\\\").replace("\"", "\\\""));
        for (int i = metadata + 1; i < metadataEnd; i++) {
            String line = lines.get(i);
            if (isContent(line) && indent(line) == childIndent && line.strip().startsWith("annotations:")) {
                if (!isKeyLine(line, childIndent, "annotations")) {
                    return Optional.empty();
                }
                int annotationsEnd = blockEnd(lines, i, childIndent);
                int found = firstContentIndent(lines, i, annotationsEnd);
                int annotationIndent = found < 0 ? childIndent + 2 : found;
                String replacement = " ".repeat(annotationIndent) + annotationLine;
                for (int j = i + 1; j < annotationsEnd; j++) {
                    if (indent(lines.get(j)) == annotationIndent && lines.get(j).strip().startsWith(key + ":")) {
                        lines.set(j, replacement);
                        return Optional.of(String.join(newline, lines));
                    }
                }
                lines.add(i + 1, replacement);
                return Optional.of(String.join(newline, lines));
            }
        }
        lines.add(metadata + 1, " ".repeat(childIndent) + "annotations:");
        lines.add(metadata + 2, " ".repeat(childIndent + 2) + annotationLine);
        return Optional.of(String.join(newline, lines));
    }

    private static JsonNode withAnnotation(JsonNode document, String key, String value) {
        if (!(document instanceof ObjectNode root)) {
            throw new IllegalStateException("A CSV must be a YAML mapping");
        }
        ObjectNode copy = root.deepCopy();
        ObjectNode metadata = copy.get("metadata") instanceof ObjectNode m ? m : copy.putObject("metadata");
        ObjectNode annotations = metadata.get("annotations") instanceof ObjectNode a ? a
                : metadata.putObject("annotations");
        annotations.put(key, value);
        return copy;
    }

    private static Path findCsv(PackageManifest manifest, String csvName) {
        for (Path versionDir : manifest.versionDirs()) {
            for (Path file : PackageManifest.files(versionDir)) {
                String name = PackageManifest.name(file);
                if (!name.endsWith(".yaml") && !name.endsWith(".yml")) {
                    continue;
                }
                JsonNode doc = YamlDocuments.read(file);
                if (doc.path("kind").asText().equals("ClusterServiceVersion")
                        && doc.path("metadata").path("name").asText().equals(csvName)) {
                    return file;
                }
            }
        }
        throw new IllegalStateException("Package " + manifest.packageName() + " has no CSV named " + csvName);
    }

    /** Whether {@code line} is {@code key:} at {@code indent} with nothing but an optional comment after it. */
    private static boolean isKeyLine(String line, int indent, String key) {
        if (indent(line) != indent || !line.startsWith(key + ":", indent)) {
            return false;
        }
        String rest = line.substring(indent + key.length() + 1).strip();
        return rest.isEmpty() || rest.startsWith("#");
    }

    /** The index of the first content line after {@code start} indented no deeper than {@code indent}. */
    private static int blockEnd(List<String> lines, int start, int indent) {
        for (int i = start + 1; i < lines.size(); i++) {
            if (isContent(lines.get(i)) && indent(lines.get(i)) <= indent) {
                return i;
            }
        }
        return lines.size();
    }

    private static int firstContentIndent(List<String> lines, int start, int end) {
        for (int i = start + 1; i < end; i++) {
            if (isContent(lines.get(i))) {
                return indent(lines.get(i));
            }
        }
        return -1;
    }

    private static boolean isContent(String line) {
        String stripped = line.strip();
        return !stripped.isEmpty() && !stripped.startsWith("#");
    }

    private static int indent(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
