package dev.catalogautopilot.builder.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.MediaTypes;
import java.util.List;

/**
 * The OCI image index joining the per-platform catalog images. Written with a fixed field order, so the same
 * platform images always give the same bytes and digest.
 */
public final class OciIndex {

    /** One platform's manifest. */
    public record Entry(ImagePlatform platform, String mediaType, Digest digest, long size) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private OciIndex() {
    }

    public static byte[] bytes(List<Entry> entries) {
        ObjectNode index = JsonNodeFactory.instance.objectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (Entry entry : entries) {
            ObjectNode descriptor = manifests.addObject();
            descriptor.put("mediaType", entry.mediaType());
            descriptor.put("digest", entry.digest().value());
            descriptor.put("size", entry.size());
            ObjectNode platform = descriptor.putObject("platform");
            platform.put("architecture", entry.platform().architecture());
            platform.put("os", entry.platform().os());
            if (entry.platform().variant() != null) {
                platform.put("variant", entry.platform().variant());
            }
        }
        try {
            return JSON.writeValueAsBytes(index);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
