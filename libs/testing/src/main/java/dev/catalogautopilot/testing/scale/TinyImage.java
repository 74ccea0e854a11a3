package dev.catalogautopilot.testing.scale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.Manifest;
import dev.catalogautopilot.registry.MediaTypes;
import dev.catalogautopilot.testing.upstream.ImageConfig;
import dev.catalogautopilot.testing.upstream.Layer;
import dev.catalogautopilot.testing.upstream.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The content of the tiny images of one repository: a config blob of its own (a few hundred bytes) shared by every
 * image of the repository, one layer shared by every repository (as a base layer is), and per image an OCI manifest
 * that differs only by an annotation naming the image, so each image has its own digest. Everything is a pure function of the repository and tag, so the generator
 * knows the digests before anything is pushed.
 */
public final class TinyImage {

    /** Label on the config naming the repository. */
    public static final String REPOSITORY_LABEL = "dev.catalogautopilot.scale.repository";
    /** Annotation on the manifest naming the image. */
    public static final String IMAGE_ANNOTATION = "dev.catalogautopilot.scale.image";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The layer every tiny image has. */
    public static final Layer LAYER = Layer.ofFile("scale/image.txt",
            "a tiny image of a generated catalog\n".getBytes(StandardCharsets.UTF_8));

    private final String repository;
    private final byte[] config;
    private final Layer layer;

    private TinyImage(String repository) {
        this.repository = repository;
        this.layer = LAYER;
        this.config = ImageConfig.of(Platform.LINUX_AMD64, Map.of(REPOSITORY_LABEL, repository))
                .toJson(List.of(layer));
    }

    /** The shared blobs of {@code repository}'s images. */
    public static TinyImage of(String repository) {
        return new TinyImage(repository);
    }

    public String repository() {
        return repository;
    }

    public byte[] config() {
        return config.clone();
    }

    public Layer layer() {
        return layer;
    }

    /** The manifest of the image tagged {@code tag}. */
    public Manifest manifest(String tag) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_MANIFEST);
        ObjectNode configNode = root.putObject("config");
        configNode.put("mediaType", MediaTypes.OCI_CONFIG);
        configNode.put("digest", Digest.sha256(config).value());
        configNode.put("size", config.length);
        ObjectNode layerNode = root.putArray("layers").addObject();
        layerNode.put("mediaType", layer.mediaType());
        layerNode.put("digest", layer.digest().value());
        layerNode.put("size", layer.size());
        root.putObject("annotations").put(IMAGE_ANNOTATION, repository + ":" + tag);
        try {
            return Manifest.of(MediaTypes.OCI_MANIFEST, JSON.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
