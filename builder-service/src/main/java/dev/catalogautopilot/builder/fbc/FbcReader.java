package dev.catalogautopilot.builder.fbc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catalogautopilot.builder.input.BadInputException;
import dev.catalogautopilot.builder.input.BadInputException.Kind;
import dev.catalogautopilot.builder.input.SafeYaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a file-based catalog from its files (JSON or YAML, any directory layout, as {@code opm serve} does):
 * {@code olm.package}, {@code olm.channel} and {@code olm.bundle} documents, plus any other schema that names a
 * package, kept verbatim. Files other than {@code .json}, {@code .yaml} and {@code .yml} are ignored.
 */
public final class FbcReader {

    private final SafeYaml yaml;

    public FbcReader(SafeYaml yaml) {
        this.yaml = yaml;
    }

    /** Reads every document of {@code files} (path to content) into a catalog. */
    public Catalog read(Map<String, byte[]> files, String origin) {
        Map<String, Parts> packages = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String path = file.getKey();
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (name.startsWith(".") || !(name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml"))) {
                continue;
            }
            String where = origin + " " + path;
            for (JsonNode document : yaml.documents(file.getValue(), where)) {
                add(packages, document, where);
            }
        }
        List<CatalogPackage> result = new ArrayList<>();
        packages.forEach((name, parts) -> {
            if (parts.pkg == null) {
                throw new BadInputException(Kind.INVALID_PACKAGE, origin + ": documents name package " + name
                        + ", which has no olm.package document");
            }
            result.add(new CatalogPackage(name, text(parts.pkg, "defaultChannel"), text(parts.pkg, "description"),
                    parts.pkg.get("icon"), parts.pkg.get("properties"), parts.channels, parts.bundles, parts.others));
        });
        return new Catalog(result);
    }

    private static void add(Map<String, Parts> packages, JsonNode document, String where) {
        String schema = text(document, "schema");
        if (schema == null) {
            throw new BadInputException(Kind.INVALID_PACKAGE, where + ": a document has no schema");
        }
        switch (schema) {
            case "olm.package" -> {
                String name = required(document, "name", schema, where);
                Parts parts = packages.computeIfAbsent(name, n -> new Parts());
                if (parts.pkg != null) {
                    throw new BadInputException(Kind.INVALID_PACKAGE, where + ": package " + name
                            + " is declared twice");
                }
                parts.pkg = document;
            }
            case "olm.channel" -> {
                String pkg = required(document, "package", schema, where);
                List<ChannelEntry> entries = new ArrayList<>();
                for (JsonNode entry : document.path("entries")) {
                    List<String> skips = new ArrayList<>();
                    entry.path("skips").forEach(s -> skips.add(s.asText()));
                    entries.add(new ChannelEntry(required(entry, "name", "channel entry", where),
                            text(entry, "replaces"), skips, text(entry, "skipRange")));
                }
                packages.computeIfAbsent(pkg, n -> new Parts()).channels.add(new Channel(
                        required(document, "name", schema, where), pkg, entries, document.get("properties")));
            }
            case "olm.bundle" -> {
                String pkg = required(document, "package", schema, where);
                List<Property> properties = new ArrayList<>();
                for (JsonNode property : document.path("properties")) {
                    properties.add(new Property(required(property, "type", "property", where), property.get("value")));
                }
                List<RelatedImage> images = new ArrayList<>();
                for (JsonNode image : document.path("relatedImages")) {
                    images.add(new RelatedImage(text(image, "name"), required(image, "image", "related image", where)));
                }
                packages.computeIfAbsent(pkg, n -> new Parts()).bundles.add(new Bundle(
                        required(document, "name", schema, where), pkg, text(document, "image"), properties, images));
            }
            default -> {
                String pkg = text(document, "package");
                if (pkg != null) {
                    packages.computeIfAbsent(pkg, n -> new Parts()).others.add(document);
                }
            }
        }
    }

    private static String required(JsonNode node, String field, String what, String where) {
        String value = text(node, field);
        if (value == null) {
            throw new BadInputException(Kind.INVALID_PACKAGE, where + ": " + what + " without " + field);
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }

    private static final class Parts {
        JsonNode pkg;
        final List<Channel> channels = new ArrayList<>();
        final List<Bundle> bundles = new ArrayList<>();
        final List<JsonNode> others = new ArrayList<>();
    }
}
