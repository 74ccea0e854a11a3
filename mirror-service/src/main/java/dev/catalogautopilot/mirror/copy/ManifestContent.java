package dev.catalogautopilot.mirror.copy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.registry.Descriptor;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.Manifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a manifest references: child manifests for an index or manifest list, the config and layer blobs for an
 * image manifest. Read from the exact bytes, which are never re-serialised.
 *
 * @param children child manifests (indexes only)
 * @param blobs    config and layers to copy (image manifests only); foreign layers are left out
 */
record ManifestContent(List<Descriptor> children, List<Descriptor> blobs) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ManifestContent of(Manifest manifest) {
        JsonNode json;
        try {
            json = JSON.readTree(manifest.bytes());
        } catch (IOException e) {
            throw new IllegalArgumentException("manifest " + manifest.digest() + " is not JSON", e);
        }
        if (manifest.isIndex()) {
            List<Descriptor> children = new ArrayList<>();
            for (JsonNode entry : json.path("manifests")) {
                children.add(descriptor(entry, manifest));
            }
            return new ManifestContent(children, List.of());
        }
        List<Descriptor> blobs = new ArrayList<>();
        if (json.hasNonNull("config")) {
            blobs.add(descriptor(json.get("config"), manifest));
        }
        for (JsonNode layer : json.path("layers")) {
            if (!isForeign(layer)) {
                blobs.add(descriptor(layer, manifest));
            }
        }
        return new ManifestContent(List.of(), blobs);
    }

    // Non-distributable layers live elsewhere (their urls); registries refuse or skip them, as skopeo does.
    private static boolean isForeign(JsonNode layer) {
        String mediaType = layer.path("mediaType").asText("");
        return mediaType.contains("foreign") || mediaType.contains("nondistributable");
    }

    private static Descriptor descriptor(JsonNode node, Manifest owner) {
        String digest = node.path("digest").asText(null);
        if (!Digest.isValid(digest)) {
            throw new IllegalArgumentException("manifest " + owner.digest() + " references an invalid digest");
        }
        if (!node.path("size").canConvertToLong() || node.path("size").asLong() < 0) {
            throw new IllegalArgumentException("manifest " + owner.digest() + " gives no size for " + digest);
        }
        return new Descriptor(node.path("mediaType").asText(null), Digest.parse(digest), node.path("size").asLong());
    }
}
