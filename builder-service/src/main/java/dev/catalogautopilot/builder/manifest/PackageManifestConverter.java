package dev.catalogautopilot.builder.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.catalogautopilot.builder.fbc.Bundle;
import dev.catalogautopilot.builder.fbc.CanonicalJson;
import dev.catalogautopilot.builder.fbc.CatalogPackage;
import dev.catalogautopilot.builder.fbc.Channel;
import dev.catalogautopilot.builder.fbc.ChannelEntry;
import dev.catalogautopilot.builder.fbc.Property;
import dev.catalogautopilot.builder.input.BadInputException;
import dev.catalogautopilot.builder.input.BadInputException.Kind;
import dev.catalogautopilot.builder.input.SafeYaml;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Converts a package in the package-manifest format into a file-based catalog package, the way opm does: one
 * bundle per CSV on a channel's {@code replaces} chain, named after the CSV, with no bundle image; channel entries
 * from each CSV's {@code replaces}, {@code skips} and {@code olm.skipRange}; {@code olm.package}, {@code olm.gvk},
 * {@code olm.gvk.required} and the CSV's {@code olm.properties} as properties; the CSV and its CRDs as
 * {@code olm.bundle.object}; and every image the CSV names as related images.
 */
public final class PackageManifestConverter {

    private static final String SKIP_RANGE = "olm.skipRange";
    private static final String PROPERTIES = "olm.properties";

    private final SafeYaml yaml;

    public PackageManifestConverter(SafeYaml yaml) {
        this.yaml = yaml;
    }

    /**
     * @param servedAs the package name the upstream serves it under, or null to accept any
     * @throws BadInputException of kind {@link Kind#INVALID_PACKAGE} for a package opm would not load
     */
    public CatalogPackage convert(PackageManifests manifests, String servedAs) {
        JsonNode packageYaml = manifests.packageYaml();
        String name = text(packageYaml, "packageName");
        if (name == null) {
            throw invalid("package.yaml has no packageName");
        }
        if (servedAs != null && !servedAs.equals(name)) {
            throw invalid("package.yaml names package " + name + ", but the upstream serves it as " + servedAs);
        }
        List<String> problems = new ArrayList<>();
        Map<String, Manifest> csvs = csvsByName(manifests.csvs(), name, problems);
        List<Channel> channels = new ArrayList<>();
        Set<String> inChannels = new LinkedHashSet<>();
        JsonNode channelList = packageYaml.path("channels");
        if (!channelList.isArray() || channelList.isEmpty()) {
            throw invalid("package " + name + " has no channels");
        }
        for (JsonNode channel : channelList) {
            String channelName = text(channel, "name");
            String head = text(channel, "currentCSV");
            if (channelName == null) {
                throw invalid("package " + name + " has a channel without a name");
            }
            if (head == null) {
                throw invalid("package " + name + ", channel " + channelName + " has no currentCSV");
            }
            if (!csvs.containsKey(head)) {
                problems.add("channel " + channelName + ": currentCSV " + head + " is missing from the package");
                continue;
            }
            List<ChannelEntry> entries = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String current = head; current != null; ) {
                if (!seen.add(current)) {
                    problems.add("channel " + channelName + ": replaces chain loops back to " + current);
                    break;
                }
                JsonNode csv = csvs.get(current).body();
                ChannelEntry entry = new ChannelEntry(current, text(csv.path("spec"), "replaces"),
                        strings(csv.path("spec").path("skips")),
                        text(csv.path("metadata").path("annotations"), SKIP_RANGE));
                entries.add(entry);
                inChannels.add(current);
                if (entry.replaces() != null && !csvs.containsKey(entry.replaces())) {
                    problems.add("channel " + channelName + ": broken replaces chain: " + current + " replaces "
                            + entry.replaces() + ", which is missing from the package");
                    break;
                }
                current = entry.replaces();
            }
            channels.add(new Channel(channelName, name, entries, null));
        }
        if (!problems.isEmpty()) {
            throw invalid("package " + name + ": " + String.join("; ", problems));
        }
        String defaultChannel = text(packageYaml, "defaultChannel");
        if (defaultChannel == null && channels.size() == 1) {
            defaultChannel = channels.get(0).name();
        }
        List<Bundle> bundles = new ArrayList<>();
        for (String csvName : inChannels) {
            bundles.add(bundle(name, csvs.get(csvName), manifests));
        }
        return new CatalogPackage(name, defaultChannel, null, null, null, channels, bundles, List.of());
    }

    private Map<String, Manifest> csvsByName(List<Manifest> manifests, String packageName, List<String> problems) {
        Map<String, Manifest> byName = new TreeMap<>();
        for (Manifest csv : manifests) {
            String csvName = text(csv.body().path("metadata"), "name");
            if (csvName == null) {
                throw invalid("package " + packageName + ": the CSV in " + csv.file() + " has no metadata.name");
            }
            Manifest earlier = byName.putIfAbsent(csvName, csv);
            if (earlier != null) {
                problems.add("two CSVs are named " + csvName + " (" + earlier.file() + " and " + csv.file() + ")");
            }
        }
        return byName;
    }

    private Bundle bundle(String packageName, Manifest csv, PackageManifests manifests) {
        JsonNode body = csv.body();
        String csvName = csv.name();
        String version = text(body.path("spec"), "version");
        if (version == null) {
            throw invalid("package " + packageName + ": CSV " + csvName + " has no spec.version");
        }
        List<Property> properties = new ArrayList<>();
        ObjectNode pkg = JsonNodeFactory.instance.objectNode().put("packageName", packageName).put("version", version);
        properties.add(new Property(Property.PACKAGE, pkg));
        JsonNode crdSection = body.path("spec").path("customresourcedefinitions");
        JsonNode apiSection = body.path("spec").path("apiservicedefinitions");
        Set<String> ownedCrdNames = new HashSet<>();
        for (JsonNode owned : crdSection.path("owned")) {
            String crdName = owned.path("name").asText("");
            ownedCrdNames.add(crdName);
            properties.add(gvk(Property.GVK, groupOf(crdName), owned));
        }
        for (JsonNode owned : apiSection.path("owned")) {
            properties.add(gvk(Property.GVK, owned.path("group").asText(""), owned));
        }
        for (JsonNode required : crdSection.path("required")) {
            properties.add(gvk(Property.GVK_REQUIRED, groupOf(required.path("name").asText("")), required));
        }
        for (JsonNode required : apiSection.path("required")) {
            properties.add(gvk(Property.GVK_REQUIRED, required.path("group").asText(""), required));
        }
        properties.addAll(declaredProperties(packageName, csvName, body));
        properties.add(bundleObject(body));
        for (Manifest crd : manifests.crds()) {
            boolean belongs = manifests.flattened() ? ownedCrdNames.contains(crd.name())
                    : crd.directory().equals(csv.directory());
            if (belongs) {
                properties.add(bundleObject(crd.body()));
            }
        }
        return new Bundle(csvName, packageName, null, properties, CsvImages.of(body));
    }

    /** The {@code olm.properties} annotation: a JSON list of properties the author declared. */
    private List<Property> declaredProperties(String packageName, String csvName, JsonNode csv) {
        String declared = text(csv.path("metadata").path("annotations"), PROPERTIES);
        if (declared == null) {
            return List.of();
        }
        List<JsonNode> values;
        try {
            values = yaml.json(declared.getBytes(StandardCharsets.UTF_8), "annotation " + PROPERTIES);
        } catch (BadInputException e) {
            throw invalid("package " + packageName + ": CSV " + csvName + ": " + e.getMessage());
        }
        List<Property> properties = new ArrayList<>();
        for (JsonNode list : values) {
            if (!list.isArray()) {
                throw invalid("package " + packageName + ": CSV " + csvName + ": annotation " + PROPERTIES
                        + " is not a list");
            }
            for (JsonNode property : list) {
                String type = text(property, "type");
                if (type == null) {
                    throw invalid("package " + packageName + ": CSV " + csvName + ": a property in annotation "
                            + PROPERTIES + " has no type");
                }
                properties.add(new Property(type, property.get("value")));
            }
        }
        return properties;
    }

    private static Property gvk(String type, String group, JsonNode api) {
        ObjectNode value = JsonNodeFactory.instance.objectNode()
                .put("group", group)
                .put("kind", api.path("kind").asText(""))
                .put("version", api.path("version").asText(""));
        return new Property(type, value);
    }

    private static Property bundleObject(JsonNode manifest) {
        String data = Base64.getEncoder().encodeToString(CanonicalJson.bytes(manifest));
        return new Property(Property.BUNDLE_OBJECT, JsonNodeFactory.instance.objectNode().put("data", data));
    }

    /** A CRD is named {@code <plural>.<group>}. */
    private static String groupOf(String crdName) {
        int dot = crdName.indexOf('.');
        return dot < 0 ? "" : crdName.substring(dot + 1);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        String text = value.asText();
        return text.isBlank() ? null : text;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> {
            if (!v.isNull() && !v.asText().isBlank()) {
                values.add(v.asText());
            }
        });
        return values;
    }

    private static BadInputException invalid(String message) {
        return new BadInputException(Kind.INVALID_PACKAGE, message);
    }
}
