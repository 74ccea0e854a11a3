package dev.catalogautopilot.testing.appregistry;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a package as operator-courier's flattened {@code bundle.yaml}:
 * {@code data: {customResourceDefinitions, clusterServiceVersions, packages}}, each a YAML string holding a list.
 *
 * <p>Like {@code operator-courier flatten}, it keeps every CSV, keeps each CRD (by {@code metadata.name}) only from
 * the newest version directory, and drops other manifests, which the flattened format cannot carry. Documents keep
 * their original text: they are indented into the list rather than re-serialised, so no scalar changes type.
 */
final class FlattenedBundle {

    private FlattenedBundle() {
    }

    static String render(PackageManifest manifest) {
        List<Document> csvs = new ArrayList<>();
        Map<String, VersionedDocument> crds = new TreeMap<>();
        for (Path versionDir : manifest.versionDirs()) {
            List<Document> documents = PackageManifest.files(versionDir).stream()
                    .filter(FlattenedBundle::isManifestFile)
                    .map(Document::read)
                    .toList();
            String version = documents.stream()
                    .filter(d -> d.kind().equals("ClusterServiceVersion"))
                    .map(d -> d.node().path("spec").path("version").asText(""))
                    .filter(v -> !v.isEmpty())
                    .findFirst()
                    .orElse(PackageManifest.name(versionDir));
            for (Document document : documents) {
                switch (document.kind()) {
                    case "ClusterServiceVersion" -> csvs.add(document);
                    case "CustomResourceDefinition" -> {
                        String name = document.node().path("metadata").path("name").asText();
                        VersionedDocument known = crds.get(name);
                        if (known == null || SemanticVersion.ORDER.compare(version, known.version()) > 0) {
                            crds.put(name, new VersionedDocument(version, document));
                        }
                    }
                    default -> {
                        // Roles, config maps and the like have no place in a flattened bundle.
                    }
                }
            }
        }
        Map<String, String> data = new LinkedHashMap<>();
        data.put("customResourceDefinitions", list(crds.values().stream().map(VersionedDocument::document).toList()));
        data.put("clusterServiceVersions", list(csvs));
        data.put("packages", list(List.of(Document.read(manifest.packageFile()))));
        return YamlDocuments.write(Map.of("data", data));
    }

    /** A YAML sequence holding the documents; falls back to re-serialising if indenting the text is not faithful. */
    static String list(List<Document> documents) {
        if (documents.isEmpty()) {
            return "[]\n";
        }
        StringBuilder text = new StringBuilder();
        for (Document document : documents) {
            text.append(listItem(document.text()));
        }
        String yaml = text.toString();
        JsonNode parsed = YamlDocuments.parse(yaml, "flattened list");
        boolean faithful = parsed.isArray() && parsed.size() == documents.size();
        for (int i = 0; faithful && i < documents.size(); i++) {
            faithful = parsed.get(i).equals(documents.get(i).node());
        }
        return faithful ? yaml : YamlDocuments.write(documents.stream().map(Document::node).toList());
    }

    /** Indents one document's text into a sequence entry, leaving empty lines empty. */
    static String listItem(String documentText) {
        List<String> lines = new ArrayList<>(List.of(documentText.replace("\r\n", "\n").split("\n", -1)));
        while (!lines.isEmpty() && (lines.get(0).isBlank() || lines.get(0).strip().equals("---"))) {
            lines.remove(0);
        }
        while (!lines.isEmpty() && (lines.get(lines.size() - 1).isBlank()
                || lines.get(lines.size() - 1).strip().equals("..."))) {
            lines.remove(lines.size() - 1);
        }
        StringBuilder item = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            item.append(i == 0 ? "- " : line.isEmpty() ? "" : "  ").append(line).append('\n');
        }
        return item.toString();
    }

    private static boolean isManifestFile(Path file) {
        String name = PackageManifest.name(file);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    /** One manifest file: its text and its parsed form. */
    record Document(String text, JsonNode node) {
        static Document read(Path file) {
            String text = YamlDocuments.text(file);
            return new Document(text, YamlDocuments.parse(text, file.toString()));
        }

        String kind() {
            return node.path("kind").asText("");
        }
    }

    private record VersionedDocument(String version, Document document) {
    }
}
