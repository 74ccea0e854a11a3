package dev.catalogautopilot.builder.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catalogautopilot.builder.input.BadInputException;
import dev.catalogautopilot.builder.input.BadInputException.Kind;
import dev.catalogautopilot.builder.input.SafeYaml;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Reads an App Registry release archive in either form: nested ({@code <pkg>/<pkg>.package.yaml} plus version
 * directories of CSVs and CRDs; more than one regular file) or flattened (a single operator-courier
 * {@code bundle.yaml} whose {@code data} values are YAML strings holding lists).
 */
public final class PackageArchive {

    private final SafeYaml yaml;

    public PackageArchive(SafeYaml yaml) {
        this.yaml = yaml;
    }

    /** Parses the files of one release, keyed by archive path. */
    public PackageManifests parse(SortedMap<String, byte[]> files, String origin) {
        if (files.isEmpty()) {
            throw new BadInputException(Kind.INVALID_PACKAGE, origin + " holds no files");
        }
        return files.size() == 1 ? flattened(files.firstKey(), files.get(files.firstKey()), origin)
                : nested(files, origin);
    }

    private PackageManifests nested(SortedMap<String, byte[]> files, String origin) {
        JsonNode packageYaml = null;
        String packageFile = null;
        List<Manifest> csvs = new ArrayList<>();
        List<Manifest> crds = new ArrayList<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String path = file.getKey();
            if (!(path.endsWith(".yaml") || path.endsWith(".yml") || path.endsWith(".json"))) {
                continue;
            }
            String where = origin + " " + path;
            String directory = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
            for (JsonNode document : yaml.documents(file.getValue(), where)) {
                if (document.has("packageName")) {
                    if (packageYaml != null) {
                        throw new BadInputException(Kind.INVALID_PACKAGE, origin + " has two package files: "
                                + packageFile + " and " + path);
                    }
                    packageYaml = document;
                    packageFile = path;
                }
                String kind = document.path("kind").asText("");
                if (kind.equals("ClusterServiceVersion")) {
                    csvs.add(new Manifest(directory, path, document));
                } else if (kind.equals("CustomResourceDefinition")) {
                    crds.add(new Manifest(directory, path, document));
                }
            }
        }
        if (packageYaml == null) {
            throw new BadInputException(Kind.INVALID_PACKAGE, origin + " has no package file (*.package.yaml)");
        }
        return new PackageManifests(packageYaml, csvs, crds, false);
    }

    private PackageManifests flattened(String path, byte[] content, String origin) {
        String where = origin + " " + path;
        List<JsonNode> documents = yaml.documents(content, where);
        if (documents.size() != 1 || !documents.get(0).path("data").isObject()) {
            throw new BadInputException(Kind.INVALID_PACKAGE, where + " is not an operator-courier bundle.yaml "
                    + "(one document with a data map)");
        }
        JsonNode data = documents.get(0).path("data");
        List<JsonNode> packages = list(data, "packages", where);
        if (packages.size() != 1) {
            throw new BadInputException(Kind.INVALID_PACKAGE, where + " must hold exactly one package, holds "
                    + packages.size());
        }
        List<Manifest> csvs = list(data, "clusterServiceVersions", where).stream()
                .map(csv -> new Manifest("", path, csv)).toList();
        List<Manifest> crds = list(data, "customResourceDefinitions", where).stream()
                .map(crd -> new Manifest("", path, crd)).toList();
        return new PackageManifests(packages.get(0), csvs, crds, true);
    }

    /** A {@code data} value: a YAML string holding a list, or (leniently) the list itself. */
    private List<JsonNode> list(JsonNode data, String field, String where) {
        JsonNode value = data.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return List.of();
        }
        JsonNode parsed = value;
        if (value.isTextual()) {
            List<JsonNode> documents = yaml.yaml(value.asText().getBytes(StandardCharsets.UTF_8),
                    where + " data." + field);
            parsed = documents.isEmpty() ? null : documents.get(0);
        }
        if (parsed == null) {
            return List.of();
        }
        if (!parsed.isArray()) {
            throw new BadInputException(Kind.INVALID_PACKAGE, where + ": data." + field + " is not a list");
        }
        List<JsonNode> items = new ArrayList<>();
        parsed.forEach(items::add);
        return items;
    }
}
