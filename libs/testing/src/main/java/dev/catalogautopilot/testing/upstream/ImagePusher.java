package dev.catalogautopilot.testing.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.Manifest;
import dev.catalogautopilot.registry.MediaTypes;
import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.registry.RepositoryRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Pushes test images: arbitrary single-platform images, OCI indexes, an opm-like multi-arch base image, and
 * catalog index images holding a file-based catalog under {@code /configs}. Everything is reproducible: the
 * same content gives the same digests, new content under a tag moves the tag.
 */
public final class ImagePusher {

    /** The label that marks a file-based catalog index image and names its catalog directory. */
    public static final String INDEX_CONFIGS_LABEL = "operators.operatorframework.io.index.configs.v1";
    /** How an index image's catalog is served. */
    public static final List<String> OPM_ENTRYPOINT = List.of("/bin/opm");
    public static final List<String> OPM_CMD = List.of("serve", "/configs", "--cache-dir=/tmp/cache");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClient client;

    public ImagePusher(RegistryClient client) {
        this.client = client;
    }

    /** A pusher whose client speaks plain HTTP to loopback registries (127.0.0.0/8, localhost, [::1]). */
    public static ImagePusher loopback() {
        return new ImagePusher(RegistryClient.builder().insecure(ImagePusher::isLoopback).build());
    }

    public RegistryClient client() {
        return client;
    }

    /** Pushes an image whose config JSON the caller made; the tag, or else the digest, addresses it. */
    public PushedImage pushImage(ImageReference target, byte[] config, List<Layer> layers) {
        Platform platform = platformOf(config);
        Pushed pushed = pushManifest(target.repositoryRef(), config, layers);
        Digest digest = client.putManifest(target.repositoryRef(), referenceFor(target, pushed.manifest),
                pushed.manifest.bytes(), pushed.manifest.mediaType());
        return new PushedImage(target, digest, MediaTypes.OCI_MANIFEST, List.of(platform), Map.of(platform, digest),
                pushed.blobs);
    }

    /** Pushes a single-platform image as an OCI manifest. */
    public PushedImage push(ImageReference target, PlatformImage image) {
        return pushImage(target, image.configJson(), image.layers());
    }

    /** Pushes one manifest per platform, by digest, and an OCI index joining them under the target. */
    public PushedImage pushIndex(ImageReference target, List<PlatformImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("An index needs at least one platform image");
        }
        RepositoryRef repository = target.repositoryRef();
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        Map<Platform, Digest> platformManifests = new LinkedHashMap<>();
        Set<Digest> blobs = new LinkedHashSet<>();
        List<Platform> platforms = new ArrayList<>();
        for (PlatformImage image : images) {
            Pushed pushed = pushManifest(repository, image.configJson(), image.layers());
            client.putManifest(repository, pushed.manifest.digest().value(), pushed.manifest.bytes(),
                    pushed.manifest.mediaType());
            ObjectNode descriptor = manifests.addObject();
            descriptor.put("mediaType", pushed.manifest.mediaType());
            descriptor.put("digest", pushed.manifest.digest().value());
            descriptor.put("size", pushed.manifest.size());
            ObjectNode platform = descriptor.putObject("platform");
            platform.put("architecture", image.platform().architecture());
            platform.put("os", image.platform().os());
            if (image.platform().variant() != null) {
                platform.put("variant", image.platform().variant());
            }
            platforms.add(image.platform());
            platformManifests.put(image.platform(), pushed.manifest.digest());
            blobs.addAll(pushed.blobs);
        }
        Manifest top = Manifest.of(MediaTypes.OCI_INDEX, bytes(index));
        Digest digest = client.putManifest(repository, referenceFor(target, top), top.bytes(), top.mediaType());
        return new PushedImage(target, digest, MediaTypes.OCI_INDEX, platforms, platformManifests, List.copyOf(blobs));
    }

    /**
     * Pushes an opm-like base image for each platform (Entrypoint {@code /bin/opm}, Cmd
     * {@code serve /configs --cache-dir=/tmp/cache}, one small layer holding {@code /bin/opm}) joined in an OCI index.
     */
    public PushedImage pushMultiArchBase(ImageReference target, List<Platform> platforms) {
        List<PlatformImage> images = platforms.stream().map(platform -> {
            TarArchive archive = new TarArchive().directory("bin")
                    .file("bin/opm", ("#!/bin/sh\n# opm stand-in for " + platform + "\n").getBytes(StandardCharsets.UTF_8), 0755);
            Layer layer = Layer.tarGzip(archive.toStoredTarGzip(), archive.toTar());
            return new PlatformImage(new ImageConfig(platform, OPM_ENTRYPOINT, OPM_CMD, Map.of()), List.of(layer));
        }).toList();
        return pushIndex(target, images);
    }

    /**
     * Pushes a linux/amd64 catalog index image: one tar.gz layer holding {@code fbcDir} under {@code /configs}
     * (sorted entries, fixed times) and the label {@value #INDEX_CONFIGS_LABEL}={@code /configs}.
     */
    public PushedImage pushIndexImage(Path fbcDir, ImageReference target) {
        return push(target, indexImage(fbcDir, Platform.LINUX_AMD64));
    }

    /** As {@link #pushIndexImage(Path, ImageReference)}, one image per platform joined in an OCI index. */
    public PushedImage pushIndexImage(Path fbcDir, ImageReference target, List<Platform> platforms) {
        Layer catalog = catalogLayer(fbcDir);
        return pushIndex(target, platforms.stream().map(p -> indexImage(catalog, p)).toList());
    }

    /** The layer an index image carries: {@code fbcDir}'s tree under {@code configs/}, reproducibly. */
    public static Layer catalogLayer(Path fbcDir) {
        if (!Files.isDirectory(fbcDir)) {
            throw new IllegalArgumentException("Not a directory: " + fbcDir);
        }
        TarArchive archive = new TarArchive().directory("configs");
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(fbcDir)) {
            entries = walk.filter(p -> !p.equals(fbcDir))
                    .sorted((a, b) -> relative(fbcDir, a).compareTo(relative(fbcDir, b)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + fbcDir, e);
        }
        for (Path entry : entries) {
            String name = "configs/" + relative(fbcDir, entry);
            try {
                if (Files.isDirectory(entry)) {
                    archive.directory(name);
                } else if (Files.isRegularFile(entry)) {
                    archive.file(name, Files.readAllBytes(entry));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + entry, e);
            }
        }
        return Layer.tarGzip(archive.toTarGzip(), archive.toTar());
    }

    private static PlatformImage indexImage(Path fbcDir, Platform platform) {
        return indexImage(catalogLayer(fbcDir), platform);
    }

    private static PlatformImage indexImage(Layer catalog, Platform platform) {
        ImageConfig config = new ImageConfig(platform, OPM_ENTRYPOINT, OPM_CMD, Map.of(INDEX_CONFIGS_LABEL, "/configs"));
        return new PlatformImage(config, List.of(catalog));
    }

    private static String relative(Path root, Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }

    private record Pushed(Manifest manifest, List<Digest> blobs) {
    }

    /** Pushes config and layers and builds (without storing) the manifest referencing them. */
    private Pushed pushManifest(RepositoryRef repository, byte[] config, List<Layer> layers) {
        List<Digest> blobs = new ArrayList<>();
        Digest configDigest = client.pushBlob(repository, config);
        blobs.add(configDigest);
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        ObjectNode configNode = manifest.putObject("config");
        configNode.put("mediaType", MediaTypes.OCI_CONFIG);
        configNode.put("digest", configDigest.value());
        configNode.put("size", config.length);
        ArrayNode layerNodes = manifest.putArray("layers");
        for (Layer layer : layers) {
            Digest digest = client.pushBlob(repository, layer.content());
            blobs.add(digest);
            ObjectNode node = layerNodes.addObject();
            node.put("mediaType", layer.mediaType());
            node.put("digest", digest.value());
            node.put("size", layer.size());
        }
        return new Pushed(Manifest.of(MediaTypes.OCI_MANIFEST, bytes(manifest)), blobs);
    }

    private static String referenceFor(ImageReference target, Manifest manifest) {
        if (target.tag() != null) {
            return target.tag();
        }
        if (!target.digest().equals(manifest.digest())) {
            throw new IllegalArgumentException("Target " + target + " names a digest the content does not have ("
                    + manifest.digest() + ")");
        }
        return target.digest().value();
    }

    private static Platform platformOf(byte[] config) {
        try {
            JsonNode json = JSON.readTree(config);
            String variant = json.path("variant").asText(null);
            return new Platform(json.path("os").asText("linux"), json.path("architecture").asText("amd64"), variant);
        } catch (IOException e) {
            throw new IllegalArgumentException("Image config is not JSON", e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isLoopback(String registry) {
        String host = registry.startsWith("[") ? registry.substring(0, registry.indexOf(']') + 1)
                : registry.contains(":") ? registry.substring(0, registry.indexOf(':')) : registry;
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }
}
