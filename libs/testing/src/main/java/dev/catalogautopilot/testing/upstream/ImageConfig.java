package dev.catalogautopilot.testing.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The parts of an OCI image config that tests care about; serialised reproducibly with the layers' diff_ids. */
public record ImageConfig(Platform platform, List<String> entrypoint, List<String> cmd, Map<String, String> labels) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fixed creation time, so equal content gives equal digests. */
    private static final String CREATED = "1970-01-01T00:00:00Z";

    public ImageConfig {
        Objects.requireNonNull(platform, "platform");
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** A config with only a platform and labels. */
    public static ImageConfig of(Platform platform, Map<String, String> labels) {
        return new ImageConfig(platform, List.of(), List.of(), labels);
    }

    /** The config JSON for an image made of {@code layers}; labels are sorted. */
    public byte[] toJson(List<Layer> layers) {
        ObjectNode root = JSON.createObjectNode();
        root.put("created", CREATED);
        root.put("architecture", platform.architecture());
        if (platform.variant() != null) {
            root.put("variant", platform.variant());
        }
        root.put("os", platform.os());
        ObjectNode config = root.putObject("config");
        if (!entrypoint.isEmpty()) {
            ArrayNode array = config.putArray("Entrypoint");
            entrypoint.forEach(array::add);
        }
        if (!cmd.isEmpty()) {
            ArrayNode array = config.putArray("Cmd");
            cmd.forEach(array::add);
        }
        if (!labels.isEmpty()) {
            ObjectNode labelNode = config.putObject("Labels");
            new TreeMap<>(labels).forEach(labelNode::put);
        }
        ObjectNode rootfs = root.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        layers.forEach(layer -> diffIds.add(layer.diffId().value()));
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
