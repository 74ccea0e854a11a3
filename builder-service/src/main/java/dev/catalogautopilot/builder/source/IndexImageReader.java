package dev.catalogautopilot.builder.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.builder.build.BuildFailure;
import dev.catalogautopilot.builder.build.TransientFailure;
import dev.catalogautopilot.builder.fbc.Catalog;
import dev.catalogautopilot.builder.fbc.FbcReader;
import dev.catalogautopilot.builder.input.TarReader;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.DigestingInputStream;
import dev.catalogautopilot.registry.IdleTimeoutInputStream;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.Manifest;
import dev.catalogautopilot.registry.MediaTypes;
import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.registry.RegistryException;
import dev.catalogautopilot.builder.input.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads the file-based catalog out of an index image: the directory its
 * {@value #CONFIGS_LABEL} label names, assembled from its layers (whiteouts applied). A multi-arch index holds
 * the same catalog for every platform, so one platform is read: linux/amd64 when present, else the first.
 * Each layer is read to its end and verified against its digest before any of its content is used; every blob
 * read has an idle timeout.
 */
public final class IndexImageReader {

    /** The label of a file-based catalog image, naming its catalog directory. */
    public static final String CONFIGS_LABEL = "operators.operatorframework.io.index.configs.v1";
    /** The label of a legacy SQLite-based index image. */
    public static final String DATABASE_LABEL = "operators.operatorframework.io.index.database.v1";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** An image config is a few kilobytes; the registry library bounds manifests the same way. */
    private static final int MAX_CONFIG_BYTES = 4 * 1024 * 1024;

    private final RegistryClient registry;
    private final TarReader tar;
    private final FbcReader fbc;
    private final Duration idleTimeout;
    private final Runnable progress;

    /** @param progress called as blob bytes arrive, so a build's lease is renewed while it reads */
    public IndexImageReader(RegistryClient registry, TarReader tar, FbcReader fbc, Duration idleTimeout,
            Runnable progress) {
        this.registry = registry;
        this.tar = tar;
        this.fbc = fbc;
        this.idleTimeout = idleTimeout;
        this.progress = progress;
    }

    /** The catalog of {@code image}, addressed by digest so the content is exactly what the watcher saw. */
    public Catalog read(ImageReference image) {
        try {
            Manifest top = registry.getManifest(image);
            Manifest manifest = top.isIndex() ? registry.getManifest(image.withDigest(pickPlatform(top, image)))
                    : top;
            JsonNode json = JSON.readTree(manifest.bytes());
            Digest configDigest = Digest.parse(json.path("config").path("digest").asText());
            JsonNode config = JSON.readTree(config(image, configDigest));
            JsonNode labels = config.path("config").path("Labels");
            String configs = labels.path(CONFIGS_LABEL).asText("");
            if (configs.isBlank()) {
                throw new BuildFailure(labels.has(DATABASE_LABEL)
                        ? "index image " + image + " is a legacy SQLite-based index (label " + DATABASE_LABEL
                        + "); only file-based catalogs are supported"
                        : "index image " + image + " has no label " + CONFIGS_LABEL + "; it is not a file-based catalog");
            }
            String root = stripSlashes(configs);
            SortedMap<String, byte[]> files = new TreeMap<>();
            int index = 0;
            for (JsonNode layer : json.path("layers")) {
                String mediaType = layer.path("mediaType").asText("");
                if (mediaType.contains("zstd")) {
                    throw new BuildFailure("index image " + image + " has a zstd layer, which is not supported");
                }
                Digest digest = Digest.parse(layer.path("digest").asText());
                String origin = "layer " + index++ + " (" + digest + ") of " + image;
                TarReader.Contents contents;
                try (DigestingInputStream blob = registry.openBlob(image.repositoryRef(), digest);
                        InputStream in = new IdleTimeoutInputStream(blob, idleTimeout, origin, progress)) {
                    contents = tar.read(in, root, origin);
                    if (!blob.isComplete() || !blob.matches()) {
                        throw new BadInputException(BadInputException.Kind.CORRUPT_ARCHIVE, origin
                                + " does not match its digest");
                    }
                }
                for (String whiteout : contents.whiteouts()) {
                    applyWhiteout(files, whiteout);
                }
                files.putAll(contents.files());
            }
            if (files.isEmpty()) {
                throw new BuildFailure("index image " + image + " holds no files under /" + root);
            }
            return fbc.read(files, "index image " + image);
        } catch (RegistryException e) {
            if (e.statusCode() == 429 || e.statusCode() >= 500 || e.statusCode() <= 0) {
                throw new TransientFailure("reading index image " + image + ": " + e.getMessage(), e);
            }
            throw new BuildFailure("reading index image " + image + ": " + e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            Throwable cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
            if (cause instanceof DigestingInputStream.DigestMismatchException) {
                throw new BadInputException(BadInputException.Kind.CORRUPT_ARCHIVE, "index image " + image + ": "
                        + cause.getMessage());
            }
            throw new TransientFailure("reading index image " + image + ": " + cause.getMessage(), cause);
        }
    }

    private byte[] config(ImageReference image, Digest digest) throws IOException {
        String what = "config " + digest + " of " + image;
        try (DigestingInputStream blob = registry.openBlob(image.repositoryRef(), digest);
                InputStream in = new IdleTimeoutInputStream(blob, idleTimeout, what, progress)) {
            byte[] bytes = in.readNBytes(MAX_CONFIG_BYTES + 1);
            if (bytes.length > MAX_CONFIG_BYTES) {
                throw new BadInputException(BadInputException.Kind.TOO_LARGE, what + " is larger than "
                        + MAX_CONFIG_BYTES + " bytes");
            }
            return bytes;
        }
    }

    private static Digest pickPlatform(Manifest index, ImageReference image) throws IOException {
        JsonNode manifests = JSON.readTree(index.bytes()).path("manifests");
        JsonNode chosen = null;
        for (JsonNode descriptor : manifests) {
            if (!MediaTypes.isImageManifest(descriptor.path("mediaType").asText(MediaTypes.OCI_MANIFEST))) {
                continue;
            }
            JsonNode platform = descriptor.path("platform");
            if (chosen == null || ("linux".equals(platform.path("os").asText())
                    && "amd64".equals(platform.path("architecture").asText()))) {
                chosen = descriptor;
            }
        }
        if (chosen == null) {
            throw new BuildFailure("index image " + image + " lists no image manifest");
        }
        return Digest.parse(chosen.path("digest").asText());
    }

    /** {@code dir/.wh.name} deletes {@code dir/name}; {@code dir/.wh..wh..opq} empties {@code dir}. */
    private static void applyWhiteout(SortedMap<String, byte[]> files, String whiteout) {
        int slash = whiteout.lastIndexOf('/');
        String dir = slash < 0 ? "" : whiteout.substring(0, slash + 1);
        String name = whiteout.substring(slash + 1);
        String target = name.equals(".wh..wh..opq") ? dir : dir + name.substring(".wh.".length());
        files.keySet().removeIf(path -> path.equals(target) || path.startsWith(target.endsWith("/") ? target
                : target + "/"));
    }

    private static String stripSlashes(String path) {
        String p = path.trim();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
