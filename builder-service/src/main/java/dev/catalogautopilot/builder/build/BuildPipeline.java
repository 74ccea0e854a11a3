package dev.catalogautopilot.builder.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.builder.config.BuilderConfig;
import dev.catalogautopilot.builder.config.BuilderConfig.ValidationPolicy;
import dev.catalogautopilot.builder.diff.CatalogDiffer;
import dev.catalogautopilot.builder.diff.CatalogSummary;
import dev.catalogautopilot.builder.fbc.Catalog;
import dev.catalogautopilot.builder.fbc.CatalogPackage;
import dev.catalogautopilot.builder.fbc.FbcReader;
import dev.catalogautopilot.builder.fbc.FbcWriter;
import dev.catalogautopilot.builder.image.BuildArtifact;
import dev.catalogautopilot.builder.image.CatalogImagePusher;
import dev.catalogautopilot.builder.image.CatalogLayers;
import dev.catalogautopilot.builder.image.ImagePlatform;
import dev.catalogautopilot.builder.input.BadInputException;
import dev.catalogautopilot.builder.input.InputLimits;
import dev.catalogautopilot.builder.input.SafeYaml;
import dev.catalogautopilot.builder.input.TarReader;
import dev.catalogautopilot.builder.manifest.PackageArchive;
import dev.catalogautopilot.builder.manifest.PackageManifestConverter;
import dev.catalogautopilot.builder.source.AppRegistryClient;
import dev.catalogautopilot.builder.source.IndexImageReader;
import dev.catalogautopilot.events.catalog.CatalogBuildFailed;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.catalog.ExcludedPackage;
import dev.catalogautopilot.events.catalog.PackageSnapshot;
import dev.catalogautopilot.events.catalog.PlatformImage;
import dev.catalogautopilot.events.catalog.UpstreamSource;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.RegistryClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * One build, start to end: fetch (App Registry packages through the cache, or an index image's catalog), validate,
 * filter, render, build and push with jib, and the build event. Throws {@link TransientFailure} for what is worth
 * retrying; every other failure becomes a {@link BuildOutcome.Failed} with nothing pushed.
 */
@ApplicationScoped
public class BuildPipeline {

    private static final Logger LOG = Logger.getLogger(BuildPipeline.class);

    private final BuilderConfig config;
    private final BuildStore store;
    private final Map<String, CatalogSettings> catalogs = new TreeMap<>();
    private final Map<String, AppRegistryClient> appRegistries = new ConcurrentHashMap<>();
    private final Map<String, RegistryClient> registries = new ConcurrentHashMap<>();
    private final InputLimits limits;
    private final SafeYaml yaml;
    private final TarReader tar;
    private final PackageFetch packageFetch;
    private final FbcWriter writer = new FbcWriter();
    private final ObjectMapper json = new ObjectMapper();

    /** Packages read from the cache, or fetched and cached, at a time: bounds memory and database round trips. */
    static final int BATCH = 16;
    /** Cached stages read at a time: a stage is a small fraction of its package. */
    static final int STAGE_BATCH = 64;

    public BuildPipeline(BuilderConfig config, BuildStore store) {
        this.config = config;
        this.store = store;
        BuilderConfig.Limits l = config.limits();
        this.limits = new InputLimits(l.maxArchiveBytes(), l.maxDocumentBytes(), l.maxEntries(), l.maxYamlAliases(),
                l.maxNestingDepth(), l.maxDecompressedBytes());
        this.yaml = new SafeYaml(limits);
        this.tar = new TarReader(limits);
        this.packageFetch = new PackageFetch(tar, new PackageArchive(yaml), new PackageManifestConverter(yaml), json);
        config.catalogs().forEach((name, catalog) -> catalogs.put(name, CatalogSettings.of(name, catalog)));
        if (config.catalogLayers() < 1 || config.catalogLayers() > CatalogLayers.MAX) {
            throw new IllegalArgumentException("builder.catalog-layers must be 1 to " + CatalogLayers.MAX + ", not "
                    + config.catalogLayers());
        }
        boolean credentialsOverHttp = catalogs.values().stream().anyMatch(c -> c.insecureRegistries().stream()
                .anyMatch(r -> c.credentials().forRegistry(r).isPresent()));
        if (credentialsOverHttp) {
            // jib refuses to send credentials over plain HTTP unless told to; only for registries configured insecure.
            System.setProperty("sendCredentialsOverHttp", "true");
        }
    }

    /**
     * Checked between stages; throws {@link SupersededException} when a newer change waits. {@link #progress()} is
     * told as work advances within a stage (bytes read, packages fetched, layers pushed): a lease is renewed only
     * while its build makes progress.
     */
    @FunctionalInterface
    public interface Checkpoint {
        void check();

        default void progress() {
        }
    }

    public BuildOutcome build(String catalog, CatalogChanged change, CatalogSummary previous, String previousImage,
            Checkpoint checkpoint) {
        CatalogSettings settings = catalogs.get(catalog);
        if (settings == null) {
            return failed(change, "catalog " + catalog + " is not configured in builder.catalogs", List.of());
        }
        if (settings.baseImage() == null) {
            return failed(change, "catalog " + catalog + " has no base image (builder.catalogs." + catalog
                    + ".base-image)", List.of());
        }
        if (settings.upstream() == null) {
            return failed(change, "catalog " + catalog + " has no upstream (builder.catalogs." + catalog
                    + ".upstream.url and .namespace, or .upstream.index-image)", List.of());
        }
        var refusal = settings.upstream().refusal(catalog, change.source());
        if (refusal.isPresent()) {
            LOG.warnf("catalog %s: change event of revision %s refused: %s", catalog, change.revision(),
                    refusal.get());
            return failed(change, refusal.get(), List.of());
        }
        Path workDir = null;
        try {
            RegistryClient registry = registry(settings);
            String key = storageKey(catalog);
            CatalogImagePusher pusher = new CatalogImagePusher(registry, settings.credentials(),
                    settings.insecureRegistries(), Path.of(config.workDir(), "jib-cache"), key, checkpoint::progress);
            Map<ImagePlatform, ImageReference> bases = pusher.resolveBase(settings.baseImage(), settings.platforms());

            workDir = Files.createTempDirectory(Files.createDirectories(Path.of(config.workDir())), catalog + "-");
            RenderedPackages renderedPackages = new RenderedPackages(Path.of(config.workDir(), "rendered", key));
            Map<String, String> excluded = new TreeMap<>();
            CatalogAssembly assembly = new CatalogAssembly(workDir, renderedPackages, settings.filter(), json, writer,
                    checkpoint::progress);
            Function<List<String>, Map<String, String>> contents = fetch(settings, change, registry, assembly,
                    excluded, checkpoint);
            checkpoint.check();

            excluded.putAll(assembly.invalid());
            if (settings.policy() == ValidationPolicy.FAIL && !excluded.isEmpty()) {
                return failed(change, excluded.size() + " package(s) are invalid and the validation policy is fail",
                        details(excluded));
            }
            if (assembly.valid() == 0) {
                return failed(change, "no package is left to build after validation and filtering", details(excluded));
            }
            long renderStart = System.nanoTime();
            CatalogAssembly.Rendered rendered = assembly.render(contents);
            LOG.infof("catalog %s: %d package(s), %d bundle(s) filtered and rendered in %.1f s", catalog,
                    rendered.counts().packages(), rendered.counts().bundles(), (System.nanoTime() - renderStart) / 1e9);
            rendered.rejected().forEach((pkg, reason) -> excluded.put(pkg, "filter: " + reason));
            if (rendered.counts().packages() == 0) {
                return failed(change, "no package is left to build after validation and filtering", details(excluded));
            }
            checkpoint.check();

            long pushStart = System.nanoTime();
            CatalogImagePusher.Pushed pushed = pusher.push(bases, rendered.files(), config.catalogLayers(),
                    settings.target());
            try {
                renderedPackages.retainOnly(rendered.stored());
            } catch (IOException e) {
                // Only disk is at stake, and the image is pushed: the next build prunes again.
                LOG.warnf("catalog %s: could not prune the rendered packages: %s", catalog, e.getMessage());
            }
            LOG.infof("catalog %s: %d platform image(s) built and pushed in %.1f s", catalog,
                    pushed.platforms().size(), (System.nanoTime() - pushStart) / 1e9);
            CatalogSummary summary = rendered.summary();
            List<String> referenced = new ArrayList<>();
            List<String> invalidImages = new ArrayList<>();
            for (String image : summary.images()) {
                (isImageReference(image) ? referenced : invalidImages).add(image);
            }
            if (!invalidImages.isEmpty()) {
                LOG.warnf("catalog %s references %d image(s) that are not valid references and cannot be mirrored: %s",
                        catalog, invalidImages.size(), invalidImages);
            }
            List<PlatformImage> platforms = pushed.platforms().entrySet().stream()
                    .map(e -> new PlatformImage(e.getKey().os(), e.getKey().architecture(), e.getKey().variant(),
                            e.getValue().value()))
                    .toList();
            BuildArtifact.Published content = BuildArtifact.publish(registry, pushed.image(), referenced,
                    CatalogDiffer.diff(previous, previousImage, summary));
            CatalogBuilt built = new CatalogBuilt(catalog, change.revision(), pushed.image().toString(), platforms,
                    rendered.counts(),
                    excluded.entrySet().stream().map(e -> new ExcludedPackage(e.getKey(), e.getValue())).toList(),
                    content.referencedImages(), content.diff());
            return new BuildOutcome.Built(built, summary, invalidImages);
        } catch (SupersededException e) {
            return new BuildOutcome.Superseded(e.getMessage());
        } catch (BuildFailure e) {
            return failed(change, e.reason(), e.details());
        } catch (BadInputException e) {
            return failed(change, "upstream content refused: " + e.getMessage(), List.of());
        } catch (IOException e) {
            throw new TransientFailure("work directory " + config.workDir() + ": " + e.getMessage(), e);
        } finally {
            if (workDir != null) {
                CatalogImagePusher.deleteQuietly(workDir);
            }
        }
    }

    /**
     * Adds every package of the change's source to {@code assembly}, one at a time. Returns where the content of
     * packages added from their cached stage is read, by package name, should the filter restrict them.
     */
    private Function<List<String>, Map<String, String>> fetch(CatalogSettings settings, CatalogChanged change,
            RegistryClient registry, CatalogAssembly assembly, Map<String, String> excluded, Checkpoint checkpoint)
            throws IOException {
        // The configured upstream, never the event's: build() refused an event naming another one.
        if (settings.upstream().source() instanceof UpstreamSource.IndexImage index) {
            if (change.indexImage() == null) {
                throw new BuildFailure("the change event of " + settings.name() + " names no index image digest");
            }
            ImageReference image = ImageReference.parse(index.image())
                    .withDigest(dev.catalogautopilot.registry.Digest.parse(change.indexImage().digest()));
            Catalog catalog = new IndexImageReader(registry, tar, new FbcReader(yaml),
                    config.limits().httpIdleTimeout(), checkpoint::progress).read(image);
            for (CatalogPackage pkg : catalog.packages()) {
                if (!settings.filter().exclude().contains(pkg.name())) {
                    assembly.add(pkg);
                }
            }
            return names -> Map.of(); // every package was added whole
        }
        UpstreamSource.AppRegistry app = (UpstreamSource.AppRegistry) settings.upstream().source();
        String source = app.baseUrl() + "/" + app.namespace();
        fetchAppRegistry(settings, app, source, change.packages(), assembly, excluded, checkpoint);
        Map<String, String> digests = new java.util.HashMap<>();
        change.packages().forEach(p -> digests.put(p.name(), p.digest()));
        return names -> {
            Map<String, PackageCacheEntry> entries = store.cached(names.stream()
                    .map(n -> PackageCacheEntry.key(source, n)).toList());
            Map<String, String> contents = new TreeMap<>();
            for (String name : names) {
                PackageCacheEntry entry = entries.get(PackageCacheEntry.key(source, name));
                // Only the content the stage was made from: a row another build replaced is retried, not mixed.
                if (entry != null && entry.content != null && entry.digest.equals(digests.get(name))) {
                    contents.put(name, entry.content);
                }
            }
            return contents;
        };
    }

    /**
     * Adds every package not excluded by name (dependencies may come from any of them), reusing the cache. A cached
     * package is added from its stage alone (read {@link #STAGE_BATCH} at a time); one without a usable stage is
     * read with its content and staged again, and missing ones are fetched, staged and cached, {@link #BATCH} at a
     * time, so at most a batch of package contents is in memory.
     */
    private void fetchAppRegistry(CatalogSettings settings, UpstreamSource.AppRegistry app, String source,
            List<PackageSnapshot> snapshots, CatalogAssembly assembly, Map<String, String> excluded,
            Checkpoint checkpoint) throws IOException {
        long start = System.nanoTime();
        AppRegistryClient client = appRegistries.computeIfAbsent(settings.name() + "|" + app.baseUrl(),
                k -> new AppRegistryClient(app.baseUrl(), settings.appRegistryToken(), limits.maxArchiveBytes(),
                        config.limits().httpIdleTimeout()));
        List<PackageSnapshot> wanted = snapshots.stream()
                .filter(p -> !settings.filter().exclude().contains(p.name()))
                .sorted(java.util.Comparator.comparing(PackageSnapshot::name)).toList();
        Map<String, String> digests = store.cachedDigests(wanted.stream()
                .map(p -> PackageCacheEntry.key(source, p.name())).toList());
        List<String> hits = new ArrayList<>();
        List<PackageSnapshot> missing = new ArrayList<>();
        for (PackageSnapshot snapshot : wanted) {
            String key = PackageCacheEntry.key(source, snapshot.name());
            if (snapshot.digest().equals(digests.get(key))) {
                hits.add(key);
            } else {
                missing.add(snapshot);
            }
        }
        Map<String, String> unsafe = new TreeMap<>();
        List<String> unstaged = new ArrayList<>();
        Map<String, PackageSnapshot> byKey = new java.util.HashMap<>();
        wanted.forEach(p -> byKey.put(PackageCacheEntry.key(source, p.name()), p));
        for (int from = 0; from < hits.size(); from += STAGE_BATCH) {
            List<String> ids = hits.subList(from, Math.min(hits.size(), from + STAGE_BATCH));
            Map<String, PackageCacheEntry> batch = store.cachedStages(ids);
            for (String id : ids) {
                PackageCacheEntry entry = batch.get(id);
                if (!current(entry, byKey.get(id))) {
                    missing.add(byKey.get(id)); // replaced or dropped since its digest was read: fetch it
                } else if (entry.problem != null) {
                    addProblem(entry, excluded, unsafe);
                } else if (!assembly.addStaged(packageName(entry), stage(entry))) {
                    unstaged.add(entry.id);
                }
            }
            checkpoint.check();
        }
        for (int from = 0; from < unstaged.size(); from += BATCH) {
            List<String> ids = unstaged.subList(from, Math.min(unstaged.size(), from + BATCH));
            Map<String, PackageCacheEntry> batch = store.cached(ids);
            List<PackageCacheEntry> staged = new ArrayList<>();
            for (String id : ids) {
                PackageCacheEntry entry = batch.get(id);
                if (!current(entry, byKey.get(id))) {
                    missing.add(byKey.get(id));
                } else if (entry.problem != null) {
                    addProblem(entry, excluded, unsafe);
                } else {
                    entry.stage = json.writeValueAsString(assembly.add(packageName(entry), entry.content));
                    staged.add(entry);
                }
            }
            store.saveStages(staged);
            checkpoint.check();
        }
        int fetched = 0;
        for (int from = 0; from < missing.size(); from += BATCH) {
            List<PackageCacheEntry> batch = new ArrayList<>();
            for (PackageFetch.Fetched one : fetchAll(client, source, app.namespace(),
                    missing.subList(from, Math.min(missing.size(), from + BATCH)), checkpoint)) {
                PackageCacheEntry entry = one.entry();
                if (entry.problem != null) {
                    addProblem(entry, excluded, unsafe);
                } else {
                    entry.stage = json.writeValueAsString(assembly.add(one.pkg(), entry.content));
                }
                batch.add(entry);
            }
            store.cache(batch);
            fetched += batch.size();
            checkpoint.check();
        }
        LOG.infof("catalog %s: %d package(s) fetched, %d reused from the cache (%d re-staged), staged in %.1f s",
                settings.name(), fetched, hits.size(), unstaged.size(), (System.nanoTime() - start) / 1e9);
        if (!unsafe.isEmpty()) {
            List<String> problems = List.copyOf(unsafe.values());
            throw new BuildFailure("upstream content refused: " + problems.get(0), problems);
        }
    }

    /** Whether a cache row still holds the content of the wanted snapshot. */
    private static boolean current(PackageCacheEntry entry, PackageSnapshot wanted) {
        return entry != null && wanted.digest().equals(entry.digest);
    }

    private static String packageName(PackageCacheEntry entry) {
        return entry.id.substring(entry.id.lastIndexOf('|') + 1);
    }

    /** The entry's stage, or null when it has none or it is unreadable: the package is then staged again. */
    private PackageStage stage(PackageCacheEntry entry) {
        if (entry.stage == null) {
            return null;
        }
        try {
            return json.readValue(entry.stage, PackageStage.class);
        } catch (IOException e) {
            LOG.warnf("the cached stage of %s is unreadable; staging the package again: %s", entry.id,
                    e.getMessage());
            return null;
        }
    }

    private static void addProblem(PackageCacheEntry entry, Map<String, String> excluded,
            Map<String, String> unsafe) {
        String name = packageName(entry);
        if (BadInputException.Kind.valueOf(entry.problemKind).isUnsafe()) {
            unsafe.put(name, entry.problem);
        } else {
            excluded.put(name, entry.problem);
        }
    }

    private List<PackageFetch.Fetched> fetchAll(AppRegistryClient client, String source, String namespace,
            List<PackageSnapshot> missing, Checkpoint checkpoint) {
        if (missing.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, config.limits().fetchThreads()));
        try {
            List<Future<PackageFetch.Fetched>> futures = new ArrayList<>();
            for (PackageSnapshot snapshot : missing) {
                futures.add(pool.submit(() -> packageFetch.fetch(client, source, namespace, snapshot,
                        checkpoint::progress)));
            }
            List<PackageFetch.Fetched> result = new ArrayList<>();
            for (Future<PackageFetch.Fetched> future : futures) {
                result.add(future.get());
            }
            return result;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof VirtualMachineError error) {
                throw error; // out of memory or stack: fails the job, never retried as transient
            }
            throw new TransientFailure("fetching packages: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted while fetching packages", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private RegistryClient registry(CatalogSettings settings) {
        return registries.computeIfAbsent(settings.name(), name -> RegistryClient.builder()
                .credentials(settings.credentials())
                .insecureRegistries(settings.insecureRegistries())
                .idleTimeout(config.limits().httpIdleTimeout())
                .build());
    }

    /** A file-name-safe key of a catalog's name, for its directories under the work directory. */
    static String storageKey(String catalog) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(catalog.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BuildOutcome failed(CatalogChanged change, String reason, List<String> details) {
        return new BuildOutcome.Failed(new CatalogBuildFailed(change.catalog(), change.revision(), reason, details));
    }

    private static List<String> details(Map<String, String> excluded) {
        return excluded.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
    }

    private static boolean isImageReference(String image) {
        try {
            ImageReference.parse(image);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
