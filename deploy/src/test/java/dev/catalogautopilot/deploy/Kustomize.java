package dev.catalogautopilot.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of kustomize these manifests use, so the test needs nothing installed: {@code resources} (files and
 * kustomization directories), {@code namespace}, {@code labels} without selectors, {@code images}, and
 * {@code patches} as strategic-merge files (maps merged, lists of named items merged by name) or JSON 6902 patches
 * with a {@code target}. Anything else in a kustomization fails the render, so the test cannot silently skip it.
 */
final class Kustomize {

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Set<String> KNOWN = Set.of("apiVersion", "kind", "resources", "namespace", "labels", "images",
            "patches");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition");

    private Kustomize() {
    }

    static List<ObjectNode> render(Path dir) {
        JsonNode k = read(dir.resolve("kustomization.yaml")).get(0);
        k.fieldNames().forEachRemaining(f -> {
            if (!KNOWN.contains(f)) {
                throw new IllegalArgumentException(dir + ": unsupported kustomization field " + f);
            }
        });
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            if (Files.isDirectory(p)) {
                out.addAll(render(p));
            } else {
                read(p).forEach(n -> out.add((ObjectNode) n));
            }
        }
        for (JsonNode patch : k.path("patches")) {
            if (patch.has("path")) {
                for (JsonNode doc : read(dir.resolve(patch.get("path").asText()))) {
                    ObjectNode target = find(out, doc.get("kind").asText(), doc.at("/metadata/name").asText());
                    merge(target, doc);
                }
            } else {
                JsonNode ops = parse(patch.get("patch").asText()).get(0);
                JsonNode t = patch.get("target");
                out.stream().filter(o -> o.get("kind").asText().equals(t.get("kind").asText()))
                        .filter(o -> !t.has("name") || o.at("/metadata/name").asText().equals(t.get("name").asText()))
                        .forEach(o -> ops.forEach(op -> apply(o, op)));
            }
        }
        for (JsonNode label : k.path("labels")) {
            if (label.path("includeSelectors").asBoolean(false)) {
                throw new IllegalArgumentException("labels with includeSelectors are not supported");
            }
            out.forEach(o -> label.get("pairs").fields().forEachRemaining(e ->
                    metadata(o).with("labels").set(e.getKey(), e.getValue())));
        }
        if (k.has("namespace")) {
            out.stream().filter(o -> !CLUSTER_SCOPED.contains(o.get("kind").asText()))
                    .forEach(o -> metadata(o).put("namespace", k.get("namespace").asText()));
        }
        for (JsonNode image : k.path("images")) {
            out.forEach(o -> retag(o, image));
        }
        return out;
    }

    private static ObjectNode metadata(ObjectNode o) {
        return o.with("metadata");
    }

    private static ObjectNode find(List<ObjectNode> docs, String kind, String name) {
        return docs.stream().filter(d -> d.get("kind").asText().equals(kind)
                && d.at("/metadata/name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("patch target " + kind + "/" + name + " not found"));
    }

    /** Strategic merge: maps merge key by key; lists of objects with a name merge item by item. */
    private static void merge(ObjectNode target, JsonNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode o && e.getValue().isObject()) {
                merge(o, e.getValue());
            } else if (existing instanceof ArrayNode a && e.getValue().isArray() && named(e.getValue())) {
                for (JsonNode item : e.getValue()) {
                    JsonNode match = null;
                    for (JsonNode candidate : a) {
                        if (candidate.path("name").equals(item.get("name"))) {
                            match = candidate;
                        }
                    }
                    if (match instanceof ObjectNode m) {
                        merge(m, item);
                    } else {
                        a.add(item);
                    }
                }
            } else {
                target.set(e.getKey(), e.getValue());
            }
        }
    }

    private static boolean named(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.has("name")) {
                return false;
            }
        }
        return true;
    }

    private static void apply(ObjectNode doc, JsonNode op) {
        String path = op.get("path").asText();
        int slash = path.lastIndexOf('/');
        JsonNode parent = doc.at(path.substring(0, slash));
        String key = path.substring(slash + 1).replace("~1", "/").replace("~0", "~");
        if (!(parent instanceof ObjectNode p)) {
            throw new IllegalArgumentException("JSON patch path " + path + " has no object parent");
        }
        switch (op.get("op").asText()) {
            case "replace" -> {
                if (!p.has(key)) {
                    throw new IllegalArgumentException("replace of missing " + path);
                }
                p.set(key, op.get("value"));
            }
            case "add" -> p.set(key, op.get("value"));
            case "remove" -> p.remove(key);
            default -> throw new IllegalArgumentException("unsupported JSON patch op " + op.get("op"));
        }
    }

    private static void retag(JsonNode node, JsonNode image) {
        if (node instanceof ObjectNode o && o.has("image") && o.get("image").isTextual()) {
            String ref = o.get("image").asText();
            String name = image.get("name").asText();
            if (ref.equals(name) || ref.startsWith(name + ":")) {
                String newName = image.path("newName").asText(name);
                String tag = image.has("newTag") ? image.get("newTag").asText()
                        : ref.contains(":") ? ref.substring(ref.indexOf(':') + 1) : "latest";
                o.set("image", TextNode.valueOf(newName + ":" + tag));
            }
        }
        node.forEach(child -> retag(child, image));
    }

    private static List<JsonNode> read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> parse(String text) {
        try (var parser = new YAMLFactory().createParser(text)) {
            List<JsonNode> docs = new ArrayList<>();
            YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> {
                if (d != null && !d.isNull() && !d.isMissingNode()) {
                    docs.add(d);
                }
            });
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
