package dev.catalogautopilot.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Content too large to travel in an event, kept in a registry as a content-addressed OCI artifact: one blob per
 * named part, held by an OCI image manifest of the given artifact type under a tag, so registry garbage collection
 * keeps it. Events carry each part's blob reference ({@code registry/repository@sha256:…}) and size; readers fetch
 * the blob and check its digest and size, so what they read is exactly what the event named.
 */
public final class ContentArtifacts {

    /** The OCI 1.1 empty config of an artifact manifest. */
    static final String EMPTY_CONFIG_TYPE = "application/vnd.oci.empty.v1+json";
    private static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClient client;

    public ContentArtifacts(RegistryClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** One named part of an artifact. */
    public record Part(String mediaType, byte[] content) {

        public Part {
            Objects.requireNonNull(mediaType, "mediaType");
            Objects.requireNonNull(content, "content");
        }

        public static Part text(String mediaType, String text) {
            return new Part(mediaType, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * A stored part.
     *
     * @param reference {@code registry/repository@sha256:…} of its blob
     * @param mediaType what the blob holds
     * @param size      its length in bytes
     */
    public record Stored(String reference, String mediaType, long size) {
    }

    /**
     * Pushes the parts and a manifest of {@code artifactType} holding them, tagged {@code tag} in {@code repository}.
     * Pushing the same parts again stores nothing new.
     *
     * @return each part's stored blob, by name, in the order given
     */
    public Map<String, Stored> push(RepositoryRef repository, String tag, String artifactType,
                                    Map<String, Part> parts) {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.put("artifactType", artifactType);
        Digest config = client.pushBlob(repository, EMPTY_CONFIG);
        manifest.set("config", descriptor(EMPTY_CONFIG_TYPE, config, EMPTY_CONFIG.length));
        ArrayNode layers = manifest.putArray("layers");
        Map<String, Stored> stored = new LinkedHashMap<>();
        parts.forEach((name, part) -> {
            Digest digest = client.pushBlob(repository, part.content());
            ObjectNode layer = descriptor(part.mediaType(), digest, part.content().length);
            layer.putObject("annotations").put("org.opencontainers.image.title", name);
            layers.add(layer);
            stored.put(name, new Stored(repository.digest(digest).toString(), part.mediaType(),
                    part.content().length));
        });
        try {
            client.putManifest(repository, tag, JSON.writeValueAsBytes(manifest), MediaTypes.OCI_MANIFEST);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return stored;
    }

    /**
     * Reads a stored part back, refusing one larger than {@code maxBytes} or whose bytes do not match its reference's
     * digest and the size the event gave: {@link IllegalArgumentException} when the reference or size is wrong,
     * {@link RegistryException} when the registry cannot serve it or serves other bytes.
     */
    public byte[] read(String reference, long size, long maxBytes) {
        ImageReference blob = ImageReference.parse(reference);
        if (blob.digest() == null) {
            throw new IllegalArgumentException("content reference " + reference + " names no digest");
        }
        if (size < 0 || size > maxBytes) {
            throw new IllegalArgumentException("content " + reference + " declares " + size
                    + " bytes, more than the " + maxBytes + " accepted");
        }
        byte[] bytes;
        try (DigestingInputStream in = client.openBlob(blob.repositoryRef(), blob.digest())) {
            bytes = in.readNBytes((int) size + 1);
            if (bytes.length == size) {
                in.readAllBytes(); // reaches EOF, where the digest is checked
            }
        } catch (IOException e) {
            throw new RegistryException("get content " + reference + " failed: " + e.getMessage(), 0, null, e);
        }
        if (bytes.length != size) {
            throw new IllegalArgumentException("content " + reference + " is "
                    + (bytes.length > size ? "longer" : "shorter") + " than the " + size + " bytes its event declares");
        }
        return bytes;
    }

    /** As {@link #read}, decoded as UTF-8 text. */
    public String readText(String reference, long size, long maxBytes) {
        return new String(read(reference, size, maxBytes), StandardCharsets.UTF_8);
    }

    private static ObjectNode descriptor(String mediaType, Digest digest, long size) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mediaType", mediaType);
        node.put("digest", digest.value());
        node.put("size", size);
        return node;
    }
}
