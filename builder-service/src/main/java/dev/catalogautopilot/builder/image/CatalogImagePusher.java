package dev.catalogautopilot.builder.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import dev.catalogautopilot.builder.build.BuildFailure;
import dev.catalogautopilot.builder.build.TransientFailure;
import dev.catalogautopilot.builder.fbc.FbcWriter;
import dev.catalogautopilot.registry.CredentialStore;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.Manifest;
import dev.catalogautopilot.registry.MediaTypes;
import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.registry.RegistryCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * Builds and pushes a catalog image with jib-core: for each selected platform of the base image, the base plus
 * the catalog's layers holding {@code /configs} ({@link CatalogLayers}) and the label {@value #CONFIGS_LABEL}={@code /configs}, the base's entrypoint
 * kept, every timestamp fixed; then an OCI index joining them under the target tag.
 *
 * <p>jib 0.27.3 joins multi-platform builds only in a Docker manifest list, and only for Docker-format images, so
 * each platform is built on its own (OCI format) and pushed under {@code <tag>-<os>-<arch>[-<variant>]}; the OCI
 * index is written here. The target tag moves only when every platform image is in the registry.
 */
public final class CatalogImagePusher {

    /** The label that tells opm and OLM where the file-based catalog lives. */
    public static final String CONFIGS_LABEL = "operators.operatorframework.io.index.configs.v1";
    /** Where the catalog goes in the image. */
    public static final String CONFIGS_DIR = "/configs";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FilePermissions FILE_MODE = FilePermissions.fromOctalString("644");

    private final RegistryClient registry;
    private final CredentialStore credentials;
    private final Set<String> insecureRegistries;
    private final Path cacheDir;
    private final Path applicationCache;
    private final Runnable progress;

    /**
     * @param cacheDir jib's caches: base-image layers shared, application layers under {@code catalogKey}, pruned
     *                 after each push (a catalog's builds run one at a time)
     * @param progress told as jib makes progress, so a long push keeps its build's lease
     */
    public CatalogImagePusher(RegistryClient registry, CredentialStore credentials, Set<String> insecureRegistries,
            Path cacheDir, String catalogKey, Runnable progress) {
        this.registry = registry;
        this.credentials = credentials;
        this.insecureRegistries = Set.copyOf(insecureRegistries);
        this.cacheDir = cacheDir;
        this.applicationCache = cacheDir.resolve("application").resolve(catalogKey);
        this.progress = progress;
    }

    /** What was pushed: the index by digest and each platform's manifest. */
    public record Pushed(ImageReference image, Map<ImagePlatform, Digest> platforms) {
    }

    /**
     * The base image's manifest for each selected platform, by digest. Fails the build, before anything is
     * pushed, when the base image does not exist or lacks a platform.
     */
    public Map<ImagePlatform, ImageReference> resolveBase(ImageReference base, List<ImagePlatform> selected) {
        Manifest manifest;
        try {
            manifest = registry.getManifest(base);
        } catch (dev.catalogautopilot.registry.RegistryException e) {
            if (e.isNotFound() || e.statusCode() == 401 || e.statusCode() == 403) {
                throw new BuildFailure("base image " + base + " does not exist or is not readable: " + e.getMessage());
            }
            throw new TransientFailure("resolving base image " + base + ": " + e.getMessage(), e);
        }
        Map<ImagePlatform, ImageReference> available = new LinkedHashMap<>();
        try {
            JsonNode json = JSON.readTree(manifest.bytes());
            if (manifest.isIndex()) {
                for (JsonNode descriptor : json.path("manifests")) {
                    JsonNode p = descriptor.path("platform");
                    if (p.has("os") && p.has("architecture")) {
                        available.putIfAbsent(new ImagePlatform(p.path("os").asText(), p.path("architecture").asText(),
                                p.path("variant").asText(null)), base.withDigest(Digest.parse(descriptor.path("digest").asText())));
                    }
                }
            } else {
                Digest configDigest = Digest.parse(json.path("config").path("digest").asText());
                JsonNode config = JSON.readTree(registry.getBlob(base.repositoryRef(), configDigest));
                available.put(new ImagePlatform(config.path("os").asText("linux"),
                        config.path("architecture").asText("amd64"), config.path("variant").asText(null)),
                        base.withDigest(manifest.digest()));
            }
        } catch (IOException e) {
            throw new BuildFailure("base image " + base + " has an unreadable manifest or config");
        }
        Map<ImagePlatform, ImageReference> chosen = new LinkedHashMap<>();
        for (ImagePlatform platform : selected) {
            ImageReference match = available.entrySet().stream().filter(e -> platform.accepts(e.getKey()))
                    .map(Map.Entry::getValue).findFirst()
                    .orElseThrow(() -> new BuildFailure("base image " + base + " has no platform " + platform
                            + "; it has " + available.keySet()));
            chosen.put(platform, match);
        }
        return chosen;
    }

    /**
     * Builds one image per platform on {@code bases} (from {@link #resolveBase}) holding the rendered catalog,
     * {@code packages} (package name to its {@code catalog.json} on disk, never read into memory as a whole), as
     * {@code /configs/<package>/catalog.json} spread over at most {@code layers} layers ({@link CatalogLayers}),
     * and pushes the OCI index under {@code target}. Then drops every layer from jib's application-layer cache but
     * the ones just pushed, so the cache holds one catalog's layers, not every build's.
     */
    public Pushed push(Map<ImagePlatform, ImageReference> bases, SortedMap<String, Path> packages, int layers,
            ImageReference target) {
        List<FileEntriesLayer> catalogLayers = new ArrayList<>();
        List<SortedMap<String, Path>> split = CatalogLayers.split(packages, layers);
        for (int i = 0; i < split.size(); i++) {
            FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("catalog-" + i);
            split.get(i).forEach((name, file) -> layer.addEntry(file,
                    AbsoluteUnixPath.get(CONFIGS_DIR + "/" + name + "/" + FbcWriter.FILE), FILE_MODE,
                    FileEntriesLayer.DEFAULT_MODIFICATION_TIME));
            catalogLayers.add(layer.build());
        }
        List<OciIndex.Entry> entries = new ArrayList<>();
        Map<ImagePlatform, Digest> platforms = new LinkedHashMap<>();
        Set<String> pushedLayers = new HashSet<>();
        for (Map.Entry<ImagePlatform, ImageReference> base : bases.entrySet()) {
            ImagePlatform platform = base.getKey();
            ImageReference platformTarget = target.withTag(target.tag() + "-" + platform.toString().replace('/', '-'));
            Digest digest = buildPlatform(base.getValue(), platform, catalogLayers, platformTarget);
            Manifest pushed = registry.getManifest(target.withDigest(digest));
            entries.add(new OciIndex.Entry(platform, pushed.mediaType(), digest, pushed.size()));
            platforms.put(platform, digest);
            pushedLayers.addAll(layerDigests(pushed));
        }
        Digest index;
        try {
            index = registry.putManifest(target.repositoryRef(), target.tag(), OciIndex.bytes(entries),
                    MediaTypes.OCI_INDEX);
        } catch (dev.catalogautopilot.registry.RegistryException e) {
            throw registryFailure("pushing the index " + target, e);
        }
        JibLayerCache.retainOnly(applicationCache, pushedLayers);
        return new Pushed(target.withDigest(index), platforms);
    }

    private static Set<String> layerDigests(Manifest manifest) {
        Set<String> digests = new HashSet<>();
        try {
            for (JsonNode layer : JSON.readTree(manifest.bytes()).path("layers")) {
                digests.add(layer.path("digest").asText());
            }
        } catch (IOException e) {
            throw new TransientFailure("reading the manifest just pushed: " + e.getMessage(), e);
        }
        return digests;
    }

    private Digest buildPlatform(ImageReference base, ImagePlatform platform, List<FileEntriesLayer> layers,
            ImageReference target) {
        try {
            RegistryImage from = withCredentials(RegistryImage.named(base.toString()), base.registry());
            RegistryImage to = withCredentials(RegistryImage.named(target.toString()), target.registry());
            boolean insecure = insecureRegistries.contains(base.registry())
                    || insecureRegistries.contains(target.registry());
            Containerizer containerizer = Containerizer.to(to)
                    .setAllowInsecureRegistries(insecure)
                    .setBaseImageLayersCache(cacheDir.resolve("base"))
                    .setApplicationLayersCache(applicationCache)
                    .setToolName("catalog-autopilot-builder")
                    .addEventHandler(ProgressEvent.class, event -> progress.run());
            JibContainer container = Jib.from(from)
                    .setFormat(ImageFormat.OCI)
                    .setPlatforms(Set.of(new Platform(platform.architecture(), platform.os())))
                    .setCreationTime(Instant.EPOCH)
                    .setFileEntriesLayers(layers)
                    .addLabel(CONFIGS_LABEL, CONFIGS_DIR)
                    .containerize(containerizer);
            return Digest.parse(container.getDigest().toString());
        } catch (InvalidImageReferenceException e) {
            throw new BuildFailure("invalid image reference: " + e.getMessage());
        } catch (CacheDirectoryCreationException | IOException e) {
            throw new TransientFailure("jib could not use its cache under " + cacheDir + ": " + e.getMessage(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String message = "building " + target + " on " + base + ": " + cause.getMessage();
            if (cause instanceof RegistryException && String.valueOf(cause.getMessage()).contains("40")) {
                throw new BuildFailure(message);
            }
            throw new TransientFailure(message, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted while building " + target, e);
        } catch (RegistryException e) {
            throw new TransientFailure("building " + target + ": " + e.getMessage(), e);
        }
    }

    private RegistryImage withCredentials(RegistryImage image, String host) {
        credentials.forRegistry(host).filter(c -> c.password() != null)
                .ifPresent((RegistryCredentials c) -> image.addCredential(c.username(), c.password()));
        return image;
    }

    private static RuntimeException registryFailure(String what, dev.catalogautopilot.registry.RegistryException e) {
        if (e.statusCode() == 429 || e.statusCode() >= 500 || e.statusCode() <= 0) {
            return new TransientFailure(what + ": " + e.getMessage(), e);
        }
        return new BuildFailure(what + ": " + e.getMessage());
    }

    /** Deletes a work directory; leftovers only cost disk. */
    public static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
