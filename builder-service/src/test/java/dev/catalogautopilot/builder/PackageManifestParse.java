package dev.catalogautopilot.builder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The test's own reading of package-manifest directories into what the builder's catalog should hold, written
 * from the format's description (ARCHITECTURE.md §3.1, §3.3) without the builder's classes. Bundle objects are
 * compared by kind and name, and the CSV by content.
 */
final class PackageManifestParse {

    private PackageManifestParse() {
    }

    /** The expected view of every package directory under {@code packagesDir}. */
    static CatalogView expected(Path packagesDir) {
        List<JsonNode> documents = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(packagesDir)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                documents.addAll(packageDocuments(dir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return CatalogView.of(documents);
    }

    /** The CSV JSON of each bundle, by bundle name, to compare with the decoded bundle objects. */
    static Map<String, JsonNode> csvs(Path packageDir) {
        Map<String, JsonNode> csvs = new TreeMap<>();
        for (Path versionDir : versionDirs(packageDir)) {
            for (JsonNode doc : documents(versionDir)) {
                if ("ClusterServiceVersion".equals(doc.path("kind").asText())) {
                    csvs.put(doc.path("metadata").path("name").asText(), doc);
                }
            }
        }
        return csvs;
    }

    /** The kind/name of each bundle's objects (its CSV and the CRDs beside it), by bundle name. */
    static Map<String, SortedSet<String>> bundleObjects(Path packageDir) {
        Map<String, SortedSet<String>> objects = new TreeMap<>();
        for (Path versionDir : versionDirs(packageDir)) {
            List<JsonNode> docs = documents(versionDir);
            SortedSet<String> crds = new TreeSet<>();
            String csv = null;
            for (JsonNode doc : docs) {
                String kind = doc.path("kind").asText();
                if (kind.equals("CustomResourceDefinition")) {
                    crds.add(kind + "/" + doc.path("metadata").path("name").asText());
                } else if (kind.equals("ClusterServiceVersion")) {
                    csv = doc.path("metadata").path("name").asText();
                }
            }
            if (csv != null) {
                crds.add("ClusterServiceVersion/" + csv);
                objects.put(csv, crds);
            }
        }
        return objects;
    }

    private static List<JsonNode> packageDocuments(Path dir) {
        JsonNode pkg = null;
        Map<String, JsonNode> csvs = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".package.yaml")).toList()) {
                pkg = CatalogView.YAML.readTree(file.toFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        csvs.putAll(csvs(dir));
        String name = pkg.path("packageName").asText();
        List<JsonNode> out = new ArrayList<>();
        ObjectNode packageDoc = JsonNodeFactory.instance.objectNode().put("schema", "olm.package").put("name", name)
                .put("defaultChannel", pkg.has("defaultChannel") ? pkg.path("defaultChannel").asText()
                        : pkg.path("channels").get(0).path("name").asText());
        out.add(packageDoc);
        SortedSet<String> inChannels = new TreeSet<>();
        for (JsonNode channel : pkg.path("channels")) {
            ObjectNode doc = JsonNodeFactory.instance.objectNode().put("schema", "olm.channel")
                    .put("name", channel.path("name").asText()).put("package", name);
            var entries = doc.putArray("entries");
            // The chain ends where a replaced CSV is no longer in the package (pruned history).
            for (String csv = channel.path("currentCSV").asText(); csv != null && csvs.containsKey(csv); ) {
                JsonNode spec = csvs.get(csv).path("spec");
                ObjectNode entry = entries.addObject().put("name", csv);
                if (spec.hasNonNull("replaces")) {
                    entry.put("replaces", spec.path("replaces").asText());
                }
                if (spec.path("skips").size() > 0) {
                    entry.set("skips", spec.path("skips"));
                }
                String skipRange = csvs.get(csv).path("metadata").path("annotations").path("olm.skipRange").asText(null);
                if (skipRange != null) {
                    entry.put("skipRange", skipRange);
                }
                inChannels.add(csv);
                csv = spec.hasNonNull("replaces") ? spec.path("replaces").asText() : null;
            }
            out.add(doc);
        }
        for (String csvName : inChannels) {
            out.add(bundle(name, csvs.get(csvName)));
        }
        return out;
    }

    private static JsonNode bundle(String pkg, JsonNode csv) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode().put("schema", "olm.bundle")
                .put("name", csv.path("metadata").path("name").asText()).put("package", pkg);
        var properties = doc.putArray("properties");
        properties.addObject().put("type", "olm.package").putObject("value").put("packageName", pkg)
                .put("version", csv.path("spec").path("version").asText());
        JsonNode spec = csv.path("spec");
        for (String section : List.of("customresourcedefinitions", "apiservicedefinitions")) {
            for (String role : List.of("owned", "required")) {
                for (JsonNode api : spec.path(section).path(role)) {
                    String group = section.startsWith("custom")
                            ? api.path("name").asText().substring(api.path("name").asText().indexOf('.') + 1)
                            : api.path("group").asText();
                    properties.addObject().put("type", role.equals("owned") ? "olm.gvk" : "olm.gvk.required")
                            .putObject("value").put("group", group).put("kind", api.path("kind").asText())
                            .put("version", api.path("version").asText());
                }
            }
        }
        String declared = csv.path("metadata").path("annotations").path("olm.properties").asText(null);
        if (declared != null) {
            try {
                for (JsonNode p : CatalogView.JSON.readTree(declared)) {
                    properties.add(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        var images = doc.putArray("relatedImages");
        for (JsonNode r : spec.path("relatedImages")) {
            // Some real CSVs misspell the field (value: instead of image:); an entry without an image names nothing.
            if (!r.path("image").asText("").isBlank()) {
                related(images.addObject(), r.path("name").asText(null), r.path("image").asText());
            }
        }
        for (JsonNode d : spec.path("install").path("spec").path("deployments")) {
            for (String list : List.of("containers", "initContainers")) {
                for (JsonNode c : d.path("spec").path("template").path("spec").path(list)) {
                    related(images.addObject(), c.path("name").asText(null), c.path("image").asText());
                }
            }
        }
        String containerImage = csv.path("metadata").path("annotations").path("containerImage").asText(null);
        if (containerImage != null && !containerImage.isBlank()) {
            related(images.addObject(), null, containerImage);
        }
        return doc;
    }

    private static void related(ObjectNode node, String name, String image) {
        if (name != null && !name.isBlank()) {
            node.put("name", name);
        }
        node.put("image", image);
    }

    /** Drops the bundle-object properties, which the tests compare separately. */
    static CatalogView withoutBundleObjects(CatalogView view) {
        var packages = new TreeMap<String, CatalogView.PackageView>();
        view.packages().forEach((name, pkg) -> {
            var bundles = new TreeMap<String, CatalogView.BundleView>();
            pkg.bundles().forEach((b, bundle) -> bundles.put(b, new CatalogView.BundleView(bundle.image(),
                    new TreeSet<>(bundle.properties().stream().filter(p -> !p.contains("olm.bundle.object")).toList()),
                    bundle.relatedImages())));
            packages.put(name, new CatalogView.PackageView(pkg.defaultChannel(), pkg.channels(), bundles));
        });
        return new CatalogView(packages);
    }

    /** Decodes a bundle's {@code olm.bundle.object} properties. */
    static List<JsonNode> decodeObjects(SortedSet<String> properties) {
        List<JsonNode> objects = new ArrayList<>();
        for (String property : properties) {
            try {
                JsonNode p = CatalogView.JSON.readTree(property);
                if ("olm.bundle.object".equals(p.path("type").asText())) {
                    objects.add(CatalogView.JSON.readTree(Base64.getDecoder().decode(p.path("value").path("data").asText())));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return objects;
    }

    private static List<Path> versionDirs(Path packageDir) {
        try (Stream<Path> dirs = Files.list(packageDir)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> documents(Path dir) {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String n = file.getFileName().toString();
                if (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json")) {
                    CatalogView.YAML.readerFor(JsonNode.class).readValues(file.toFile())
                            .forEachRemaining(d -> {
                                if (d != null && !((JsonNode) d).isNull()) {
                                    docs.add((JsonNode) d);
                                }
                            });
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }
}
