package dev.catalogautopilot.builder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.Topics;
import dev.catalogautopilot.events.catalog.CatalogBuildFailed;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.catalog.CatalogDiff;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.catalog.ExcludedPackage;
import dev.catalogautopilot.events.catalog.IndexImageChange;
import dev.catalogautopilot.events.catalog.PackageSnapshot;
import dev.catalogautopilot.events.catalog.PlatformImage;
import dev.catalogautopilot.events.catalog.UpstreamSource;
import dev.catalogautopilot.events.catalog.WatchTrigger;
import dev.catalogautopilot.events.kafka.KafkaCloudEvents;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.testing.Fixtures;
import dev.catalogautopilot.testing.content.EventContent;
import dev.catalogautopilot.testing.appregistry.CnrEndpoint;
import dev.catalogautopilot.testing.appregistry.FixtureAppRegistry;
import dev.catalogautopilot.testing.appregistry.PublishedRelease;
import dev.catalogautopilot.testing.kafka.EventStream;
import dev.catalogautopilot.testing.kafka.ReceivedEvent;
import dev.catalogautopilot.testing.kafka.SharedKafka;
import dev.catalogautopilot.testing.postgres.TestDatabase;
import dev.catalogautopilot.testing.process.ServiceProcess;
import dev.catalogautopilot.testing.registry.LocalRegistry;
import dev.catalogautopilot.testing.upstream.CsvImages;
import dev.catalogautopilot.testing.upstream.ImagePusher;
import dev.catalogautopilot.testing.upstream.Platform;
import dev.catalogautopilot.testing.upstream.SimulatedUpstream;
import dev.catalogautopilot.testing.upstream.UpstreamSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged builder as its own process against the real broker, PostgreSQL, the fixture App Registry serving
 * the simulated upstream's rewritten operators, and local registries; checked with skopeo. The test publishes the
 * change events the watcher would, and runs as a story.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuilderIT {

    private static final Duration WITHIN = Duration.ofSeconds(240);
    private static final String USER = "builder-robot";
    private static final String PASSWORD = "s3cr3t-builder-password";
    private static final int MAX_DOCUMENT = 1024 * 1024;
    private static final int MAX_ARCHIVE = 24 * 1024 * 1024;

    private final String sfx = Long.toString(System.nanoTime() % 1_000_000);
    private final String full = "full-" + sfx;
    private final String broken = "broken-" + sfx;
    private final String bad = "bad-" + sfx;
    private final String strict = "strict-" + sfx;
    private final String nobase = "nobase-" + sfx;
    private final String guarded = "guarded-" + sfx;
    private final Map<String, String> indexCatalogs = new HashMap<>();

    private SimulatedUpstream upstream;
    private FixtureAppRegistry fullRegistry;
    private FixtureAppRegistry brokenRegistry;
    private FixtureAppRegistry badRegistry;
    private LocalRegistry mirror;
    private String indexImage;
    private String indexDigest;
    private EventStream events;
    private KafkaProducer<String, byte[]> producer;
    private ServiceProcess builder;
    private final List<Path> temp = new ArrayList<>();
    private Path workDir;
    private EventEnvelope<CatalogChanged> firstFullChange;

    @BeforeAll
    void start() throws Exception {
        upstream = UpstreamSimulator.shared();
        fullRegistry = FixtureAppRegistry.builder().packagesDir(upstream.operatorsDir()).requireAuth(USER, PASSWORD)
                .start();
        brokenRegistry = FixtureAppRegistry.builder().packagesDir(brokenPackages()).start();
        badRegistry = FixtureAppRegistry.builder().packagesDir(copyOf("prometheus", "etcd")).start();
        mirror = LocalRegistry.start();
        ImagePusher pusher = ImagePusher.loopback();
        ImageReference base = mirror.image("base/opm:v1");
        pusher.pushMultiArchBase(base, List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64));
        ImageReference index = upstream.registry().image("index/declcfg-" + sfx + ":latest");
        indexDigest = pusher.pushIndexImage(Fixtures.fbc().resolve("index-declcfgs/latest"), index).digest().toString();
        indexImage = index.toString();
        events = EventStream.onSharedBroker(Topics.CATALOG_BUILDS);
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", SharedKafka.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new ByteArraySerializer());

        Path credentials = Files.createTempFile("cnr", ".json");
        temp.add(credentials);
        Files.writeString(credentials, "{\"username\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}");
        TestDatabase db = TestDatabase.create("builder");
        workDir = Files.createTempDirectory("builder-work");
        ServiceProcess.Builder service = ServiceProcess.builder("builder-service")
                .properties(db.quarkusConfig())
                .property("kafka.bootstrap.servers", SharedKafka.bootstrapServers())
                .property("builder.limits.max-document-bytes", Integer.toString(MAX_DOCUMENT))
                .property("builder.limits.max-archive-bytes", Integer.toString(MAX_ARCHIVE))
                .property("builder.runner.retry-delay", "1s")
                .property("builder.work-dir", workDir.toString())
                .properties(catalog(full, base.toString(), "linux/amd64,linux/arm64"))
                .properties(upstream(full, fullRegistry))
                .property("builder.catalogs." + full + ".app-registry-credentials", credentials.toString())
                .properties(catalog(guarded, base.toString(), "linux/amd64"))
                .properties(upstream(guarded, fullRegistry))
                .property("builder.catalogs." + guarded + ".app-registry-credentials", credentials.toString())
                .properties(catalog(broken, base.toString(), "linux/amd64"))
                .properties(upstream(broken, brokenRegistry))
                .properties(catalog(bad, base.toString(), "linux/amd64"))
                .properties(upstream(bad, badRegistry))
                .properties(catalog(strict, base.toString(), "linux/amd64"))
                .properties(upstream(strict, badRegistry))
                .property("builder.catalogs." + strict + ".validation-policy", "fail")
                .properties(catalog(nobase, mirror.image("base/missing:v1").toString(), "linux/amd64"))
                .properties(upstream(nobase, badRegistry));
        Map<String, Map<String, String>> filters = Map.of(
                "all", Map.of(),
                "headsonly", Map.of("heads-only", "true"),
                "include-pkg", Map.of("heads-only", "true", "packages.baz.min-version", "0.0.0"),
                "include-channel", Map.of("heads-only", "true", "packages.baz.channels", "stable",
                        "packages.baz.min-version", "0.0.0"),
                "ranges", Map.of("include", "foo,bar", "exclude", "bar", "packages.foo.min-version", "0.2.0",
                        "packages.foo.max-version", "0.3.0"));
        filters.forEach((kind, filter) -> {
            String name = "idx-" + kind + "-" + sfx;
            indexCatalogs.put(kind, name);
            service.properties(catalog(name, base.toString(), "linux/amd64"));
            service.property("builder.catalogs." + name + ".upstream.index-image",
                    index.registry() + "/" + index.repository());
            filter.forEach((k, v) -> service.property("builder.catalogs." + name + ".filter." + k, v));
        });
        builder = service.build();
        builder.start();
    }

    private Map<String, String> catalog(String name, String base, String platforms) {
        String p = "builder.catalogs." + name + ".";
        return Map.of(p + "target", mirror.host() + "/olm", p + "tag", "v2", p + "base-image", base,
                p + "platforms", platforms, p + "insecure-registries", mirror.host() + "," + upstream.registry().host());
    }

    private static Map<String, String> upstream(String name, FixtureAppRegistry registry) {
        String p = "builder.catalogs." + name + ".upstream.";
        return Map.of(p + "url", registry.baseUrl(), p + "namespace", registry.namespace());
    }

    @AfterAll
    void stop() {
        if (builder != null) {
            builder.close();
            assertThat(builder.logs()).as("secrets never reach the logs").doesNotContain(PASSWORD);
        }
        for (AutoCloseable c : new AutoCloseable[] {events, fullRegistry, brokenRegistry, badRegistry, mirror}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
        if (producer != null) {
            producer.close();
        }
    }

    @Test
    @Order(1)
    void changeEventProducesAMultiArchCatalogImageMatchingAnIndependentParse() throws Exception {
        firstFullChange = send(appRegistryChange(full, fullRegistry, "r1"));
        CatalogBuilt built = built(full, 1).get(0);

        assertThat(built.image()).startsWith(mirror.host() + "/olm/" + full + ":v2@sha256:");
        assertThat(built.platforms()).extracting(p -> p.os() + "/" + p.architecture())
                .containsExactly("linux/amd64", "linux/arm64");
        String repository = built.image().substring(0, built.image().indexOf(':', mirror.host().length()));
        JsonNode index = Skopeo.raw(repository + built.image().substring(built.image().indexOf('@')));
        assertThat(index.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(index.path("manifests")).hasSize(2);
        Set<String> listed = new TreeSet<>();
        index.path("manifests").forEach(m -> listed.add(m.path("platform").path("architecture").asText()
                + "@" + m.path("digest").asText()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(built.platforms().stream()
                .map(p -> p.architecture() + "@" + p.digest()).toList());
        for (PlatformImage platform : built.platforms()) {
            JsonNode config = Skopeo.config(repository + "@" + platform.digest());
            assertThat(config.path("architecture").asText()).isEqualTo(platform.architecture());
            assertThat(config.path("config").path("Labels")
                    .path("operators.operatorframework.io.index.configs.v1").asText()).isEqualTo("/configs");
            assertThat(config.path("config").path("Entrypoint").get(0).asText()).isEqualTo("/bin/opm");
        }

        Path pulled = Skopeo.pullFilesystem(repository + "@" + built.platforms().get(0).digest());
        CatalogView actual = CatalogView.read(pulled.resolve("configs"));
        CatalogView expected = PackageManifestParse.expected(upstream.operatorsDir());
        assertThat(actual.packages().keySet()).containsExactlyElementsOf(expected.packages().keySet()).hasSize(25);
        CatalogView withoutObjects = PackageManifestParse.withoutBundleObjects(actual);
        for (String pkg : expected.packages().keySet()) {
            CatalogView.PackageView want = expected.packages().get(pkg);
            CatalogView.PackageView got = withoutObjects.packages().get(pkg);
            assertThat(got.defaultChannel()).as(pkg).isEqualTo(want.defaultChannel());
            assertThat(got.channels()).as(pkg + " channels").isEqualTo(want.channels());
            assertThat(got.bundles()).as(pkg + " bundles").isEqualTo(want.bundles());
            Path dir = upstream.operatorsDir().resolve(pkg);
            Map<String, SortedSet<String>> objects = PackageManifestParse.bundleObjects(dir);
            Map<String, JsonNode> csvs = PackageManifestParse.csvs(dir);
            actual.packages().get(pkg).bundles().forEach((bundle, view) -> {
                List<JsonNode> decoded = PackageManifestParse.decodeObjects(view.properties());
                SortedSet<String> names = new TreeSet<>();
                decoded.forEach(o -> names.add(o.path("kind").asText() + "/" + o.path("metadata").path("name").asText()));
                assertThat(names).as(pkg + " " + bundle + " objects").isEqualTo(objects.get(bundle));
                assertThat(decoded.stream().filter(o -> o.path("kind").asText().equals("ClusterServiceVersion")))
                        .as(pkg + " " + bundle + " CSV").containsExactly(csvs.get(bundle));
            });
        }
        assertThat(built.counts().packages()).isEqualTo(25);
        assertThat(built.counts().bundles()).isEqualTo(expected.packages().values().stream()
                .mapToInt(p -> p.bundles().size()).sum());
        assertThat(built.excludedPackages()).isEmpty();
        assertThat(built.diff().previousImage()).isNull();
        assertThat(built.diff().totals().bundlesAdded()).isEqualTo(built.counts().bundles());
        assertThat(built.diff().bundlesAdded()).hasSize(Math.min(CatalogDiff.PREVIEW, built.counts().bundles()));
        CatalogDiff full = EventContent.fullDiff(built);
        assertThat(full.bundlesAdded()).hasSize(built.counts().bundles())
                .startsWith(built.diff().bundlesAdded().toArray(String[]::new));
    }

    @Test
    @Order(2)
    void referencedImagesAreEveryImageTheCsvsNameAfterTheRewrite() {
        CatalogBuilt built = built(full, 1).get(0);
        SortedSet<String> expected = new TreeSet<>();
        for (String original : CsvImages.in(Fixtures.operators())) {
            String rewritten = upstream.rewrites().get(original);
            if (rewritten != null) {
                expected.add(rewritten);
            }
        }
        assertThat(EventContent.referencedImages(built)).containsExactlyElementsOf(expected);
        assertThat(built.referencedImages().entries()).isEqualTo(expected.size());
        assertThat(built.referencedImages().reference()).startsWith(ImageReference.parse(built.image()).name() + "@");
        assertThat(EventContent.fullDiff(built).relatedImagesAdded()).containsAll(expected);
    }

    @Test
    @Order(3)
    void buildingTwiceGivesTheIdenticalDigestAndOnlyChangedPackagesAreFetched() {
        long downloads = fullRegistry.requestCount(CnrEndpoint.BLOB);
        send(appRegistryChange(full, fullRegistry, "r1-again"));
        List<CatalogBuilt> builds = built(full, 2);
        assertThat(builds.get(1).image()).isEqualTo(builds.get(0).image());
        assertThat(builds.get(1).diff().isEmpty()).isTrue();
        assertThat(builds.get(1).diff().previousImage()).isEqualTo(builds.get(0).image());
        assertThat(fullRegistry.requestCount(CnrEndpoint.BLOB)).as("nothing re-fetched").isEqualTo(downloads);

        fullRegistry.publishRelease("etcd");
        send(appRegistryChange(full, fullRegistry, "r2"));
        CatalogBuilt third = built(full, 3).get(2);
        assertThat(fullRegistry.requestCount(CnrEndpoint.BLOB)).as("only etcd re-fetched").isEqualTo(downloads + 1);
        assertThat(third.image()).as("the etcd CSV changed").isNotEqualTo(builds.get(0).image());
        assertThat(third.counts()).isEqualTo(builds.get(0).counts());

        for (String arch : List.of("amd64", "arm64")) {
            List<String> before = Skopeo.layers(platformImage(builds.get(0), arch));
            List<String> after = Skopeo.layers(platformImage(third, arch));
            assertThat(before).as("the base layer and the catalog spread over several layers").hasSizeGreaterThan(3)
                    .hasSameSizeAs(after);
            List<String> changed = new ArrayList<>(after);
            changed.removeAll(before);
            assertThat(changed).as(arch + ": only the layer holding etcd is new").hasSize(1);
        }
        List<Path> caches = list(workDir.resolve("jib-cache/application"));
        assertThat(caches).as("one layer cache per catalog built so far").hasSize(1);
        Set<String> cached = new TreeSet<>();
        list(caches.get(0).resolve("layers")).forEach(l -> cached.add("sha256:" + l.getFileName()));
        assertThat(cached).as("the layer cache holds the catalog layers the last build pushed, nothing older")
                .isNotEmpty().isSubsetOf(Skopeo.layers(platformImage(third, "amd64")));
    }

    private static List<Path> list(Path dir) {
        try (var files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @Order(4)
    void invalidPackagesAreReportedAndLeftOutWhileTheOthersAreBuilt() throws Exception {
        send(appRegistryChange(broken, brokenRegistry, "b1"));
        CatalogBuilt built = built(broken, 1).get(0);
        assertThat(built.excludedPackages()).extracting(ExcludedPackage::name)
                .containsExactly("3scale-community-operator", "etcd");
        assertThat(reason(built, "etcd")).contains("broken replaces chain").contains("etcdoperator.v0.9.0");
        assertThat(reason(built, "3scale-community-operator")).contains("currentCSV")
                .contains("3scale-community-operator.v0.3.0");
        assertThat(built.counts().packages()).isEqualTo(1);
        CatalogView pulled = CatalogView.read(Skopeo.pullFilesystem(platformImage(built)).resolve("configs"));
        assertThat(pulled.packages().keySet()).containsExactly("prometheus");
    }

    @Test
    @Order(5)
    void badInputsFailTheBuildWithTheirReasonAndPushNothing() throws Exception {
        ImageReference target = ImageReference.parse(mirror.host() + "/olm/" + bad + ":v2");
        Map<String, Consumer<org.apache.commons.compress.archivers.tar.TarArchiveOutputStream>> unsafe = Map.of(
                "leaves the archive root", HostileArchives.fileNamed("prometheus/../../evil.yaml"),
                "absolute path", HostileArchives.fileNamed("/etc/evil.yaml"),
                "points outside the archive root", HostileArchives.symlink("prometheus/1.0.0/link.yaml", "../../../etc/passwd"),
                "points outside", HostileArchives.hardlink("prometheus/1.0.0/hard.yaml", "../outside.yaml"),
                "unpacks to more than", HostileArchives.inflating(30, MAX_DOCUMENT - 1000));
        int failures = 0;
        for (var bomb : new TreeSet<>(unsafe.keySet())) {
            badRegistry.publishArchive("prometheus", HostileArchives.nestedPackage("prometheus", unsafe.get(bomb)));
            send(appRegistryChange(bad, badRegistry, "bad-" + failures));
            CatalogBuildFailed failed = failedBuilds(bad, ++failures).get(failures - 1);
            assertThat(failed.reason()).as(bomb).contains(bomb);
            assertThat(mirror.client().hasManifest(target)).as("nothing pushed").isFalse();
        }
        Map<String, Consumer<Path>> unsafeContent = Map.of(
                "alias", dir -> write(dir, "1.0.0/bomb.yaml", aliasBomb()),
                "over the document limit", dir -> write(dir, "1.0.0/huge.yaml", "a: \"" + "x".repeat(MAX_DOCUMENT) + "\"\n"));
        for (var bomb : new TreeSet<>(unsafeContent.keySet())) {
            badRegistry.publishRelease("prometheus", pristine(unsafeContent.get(bomb)));
            send(appRegistryChange(bad, badRegistry, "bad-" + failures));
            CatalogBuildFailed failed = failedBuilds(bad, ++failures).get(failures - 1);
            assertThat(failed.reason()).as(bomb).contains(bomb);
            assertThat(mirror.client().hasManifest(target)).as("nothing pushed").isFalse();
        }

        send(appRegistryChange(nobase, badRegistry, "nobase"));
        assertThat(failedBuilds(nobase, 1).get(0).reason()).contains("base image").contains("does not exist");
        assertThat(mirror.client().hasManifest(ImageReference.parse(mirror.host() + "/olm/" + nobase + ":v2")))
                .isFalse();

        // Content a package-manifest loader rejects: left out and reported, or the build fails under policy fail.
        Map<String, Consumer<Path>> invalid = Map.of(
                "not valid YAML", dir -> write(dir, "1.0.0/broken.yaml", "kind: [unclosed\n  - x: y\n"),
                "has no metadata.name", dir -> replaceInCsv(dir, "name: prometheusoperator.", "generateName: prometheusoperator."),
                "is missing from the package", dir -> replaceInFile(dir, ".package.yaml", "currentCSV: ", "currentCSV: gone-"));
        int builds = 0;
        for (var problem : new TreeSet<>(invalid.keySet())) {
            badRegistry.publishRelease("prometheus", pristine(invalid.get(problem)));
            send(appRegistryChange(bad, badRegistry, "invalid-" + problem));
            CatalogBuilt built = built(bad, ++builds).get(builds - 1);
            assertThat(reason(built, "prometheus")).as(problem).contains(problem);
            assertThat(built.counts().packages()).as("etcd still built").isEqualTo(1);
            send(appRegistryChange(strict, badRegistry, "strict-" + problem));
            CatalogBuildFailed failed = failedBuilds(strict, builds).get(builds - 1);
            assertThat(String.join("\n", failed.details())).as(problem).contains(problem);
        }
        assertThat(mirror.client().hasManifest(ImageReference.parse(mirror.host() + "/olm/" + strict + ":v2")))
                .isFalse();
    }

    @Test
    @Order(6)
    void indexImageSourceIsRebuiltWithEachFilter() throws Exception {
        for (String kind : List.of("headsonly", "include-pkg", "include-channel")) {
            CatalogView actual = buildIndex(kind);
            CatalogView expected = CatalogView.read(Fixtures.fbc().resolve("index-declcfgs/exp-" + kind));
            assertThat(actual).as(kind + " matches opm alpha diff").isEqualTo(expected);
        }
        CatalogView all = buildIndex("all");
        assertThat(all).isEqualTo(CatalogView.read(Fixtures.fbc().resolve("index-declcfgs/latest")));

        CatalogView ranges = buildIndex("ranges");
        assertThat(ranges.packages().keySet()).containsExactly("foo");
        assertThat(ranges.packages().get("foo").channels().get("beta")).extracting(CatalogView.Entry::name)
                .containsExactly("foo.v0.2.0", "foo.v0.3.0");
        assertThat(ranges.packages().get("foo").bundles().keySet()).containsExactly("foo.v0.2.0", "foo.v0.3.0");
    }

    @Test
    @Order(7)
    void aRedeliveredChangeEventCausesNoSecondBuildEvent() throws Exception {
        int before = built(full, 3).size();
        producer.send(KafkaCloudEvents.toProducerRecord(firstFullChange)).get();
        Thread.sleep(8000);
        assertThat(builds(full)).hasSize(before);

        HttpResponse<String> history = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(builder.baseUrl() + "/builds/" + full)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(history.statusCode()).isEqualTo(200);
        JsonNode list = CatalogView.JSON.readTree(history.body());
        assertThat(list).hasSize(3);
        list.forEach(b -> assertThat(b.path("status").asText()).isEqualTo("SUCCEEDED"));
        assertThat(list.get(0).path("outcome").path("image").asText()).isEqualTo(built(full, 3).get(2).image());
    }

    @Test
    @Order(8)
    void aChangeEventNamingAForeignUpstreamIsRefusedAndThatServerReceivesNoRequest() throws Exception {
        try (FixtureAppRegistry foreign = FixtureAppRegistry.builder().packagesDir(copyOf("etcd"))
                .namespace(fullRegistry.namespace()).start()) {
            send(appRegistryChange(guarded, foreign, "foreign"));
            CatalogBuildFailed failed = failedBuilds(guarded, 1).get(0);
            assertThat(failed.reason()).contains(foreign.baseUrl()).contains(fullRegistry.baseUrl())
                    .contains("builder.catalogs." + guarded + ".upstream");
            for (CnrEndpoint endpoint : CnrEndpoint.values()) {
                assertThat(foreign.requestCount(endpoint)).as("requests to the foreign " + endpoint).isZero();
            }
            JsonNode status = CatalogView.JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(builder.baseUrl() + "/builds/" + guarded)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(status).hasSize(1);
            assertThat(status.get(0).path("status").asText()).isEqualTo("FAILED");
            assertThat(status.get(0).path("reason").asText()).isEqualTo(failed.reason());
        }

        String name = indexCatalogs.get("all");
        String foreignIndex = upstream.registry().image("index/foreign-" + sfx + ":latest").toString();
        CatalogChanged change = new CatalogChanged(name, new UpstreamSource.IndexImage(foreignIndex),
                WatchTrigger.POLL, indexDigest + "-foreign", null, List.of(), List.of(), List.of(), List.of(),
                new IndexImageChange(foreignIndex, null, indexDigest), Instant.now());
        send(EventEnvelope.first(EventSources.WATCHER, name, change, "idx-foreign", Clock.systemUTC()));
        assertThat(failedBuilds(name, 1).get(0).reason()).contains("index image " + foreignIndex)
                .contains("builder.catalogs." + name + ".upstream");
    }

    // ---------------------------------------------------------------- helpers

    private CatalogView buildIndex(String kind) {
        String name = indexCatalogs.get(kind);
        CatalogChanged change = new CatalogChanged(name, new UpstreamSource.IndexImage(indexImage), WatchTrigger.POLL,
                indexDigest, null, List.of(), List.of(), List.of(), List.of(),
                new IndexImageChange(indexImage, null, indexDigest), Instant.now());
        send(EventEnvelope.first(EventSources.WATCHER, name, change, "idx", Clock.systemUTC()));
        CatalogBuilt built = built(name, 1).get(0);
        assertThat(built.excludedPackages()).as(kind).isEmpty();
        return CatalogView.read(Skopeo.pullFilesystem(platformImage(built)).resolve("configs"));
    }

    private String platformImage(CatalogBuilt built, String architecture) {
        String repository = built.image().substring(0, built.image().indexOf(':', mirror.host().length()));
        return repository + "@" + built.platforms().stream().filter(p -> p.architecture().equals(architecture))
                .findFirst().orElseThrow().digest();
    }

    private String platformImage(CatalogBuilt built) {
        String repository = built.image().substring(0, built.image().indexOf(':', mirror.host().length()));
        return repository + "@" + built.platforms().get(0).digest();
    }

    private static String reason(CatalogBuilt built, String pkg) {
        return built.excludedPackages().stream().filter(e -> e.name().equals(pkg)).findFirst()
                .map(ExcludedPackage::reason).orElse("");
    }

    private EventEnvelope<CatalogChanged> appRegistryChange(String catalog, FixtureAppRegistry registry, String origin) {
        List<PackageSnapshot> packages = new ArrayList<>();
        for (String name : registry.packageNames()) {
            PublishedRelease latest = registry.latest(name);
            List<String> releases = registry.releases(name).stream().map(PublishedRelease::release).toList();
            packages.add(new PackageSnapshot(name, latest.release(), releases, "sha256:" + latest.digest()));
        }
        String revision = "sha256:" + Integer.toHexString(packages.hashCode());
        CatalogChanged change = new CatalogChanged(catalog, new UpstreamSource.AppRegistry(registry.baseUrl(),
                registry.namespace()), WatchTrigger.POLL, revision, null, packages, List.of(), List.of(), List.of(),
                null, Instant.now());
        return EventEnvelope.first(EventSources.WATCHER, catalog, change, origin + "-" + System.nanoTime(),
                Clock.systemUTC());
    }

    private EventEnvelope<CatalogChanged> send(EventEnvelope<CatalogChanged> change) {
        try {
            producer.send(KafkaCloudEvents.toProducerRecord(change)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return change;
    }

    private List<CatalogBuilt> built(String catalog, int count) {
        return events.await(e -> catalog.equals(e.envelope().subject()) && e.envelope().data() instanceof CatalogBuilt,
                count, WITHIN).stream().map(e -> e.data(CatalogBuilt.class)).toList();
    }

    private List<ReceivedEvent> builds(String catalog) {
        return events.matching(e -> catalog.equals(e.envelope().subject()) && e.envelope().data() instanceof CatalogBuilt);
    }

    private List<CatalogBuildFailed> failedBuilds(String catalog, int count) {
        return events.await(e -> catalog.equals(e.envelope().subject())
                && e.envelope().data() instanceof CatalogBuildFailed, count, WITHIN).stream()
                .map(e -> e.data(CatalogBuildFailed.class)).toList();
    }

    /** A package dir holding etcd with a broken replaces chain, the invalid 3scale package, and prometheus. */
    private Path brokenPackages() throws IOException {
        Path dir = copyOf("prometheus", "etcd");
        copyTree(Fixtures.invalid().resolve("3scale-community-operator"), dir.resolve("3scale-community-operator"));
        Path csv = dir.resolve("etcd/0.9.2/etcdoperator.v0.9.2.clusterserviceversion.yaml");
        Files.writeString(csv, Files.readString(csv).replace("replaces: etcdoperator.v0.9.0",
                "replaces: etcdoperator.v0.9.0-gone"));
        return dir;
    }

    private Path copyOf(String... packages) throws IOException {
        Path dir = Files.createTempDirectory("packages-");
        temp.add(dir);
        for (String pkg : packages) {
            copyTree(upstream.operatorsDir().resolve(pkg), dir.resolve(pkg));
        }
        return dir;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted().toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.write(target, Files.readAllBytes(p));
                }
            }
        }
    }

    /** An edit of the pristine prometheus package, whatever earlier edits left in the newest release. */
    private Consumer<Path> pristine(Consumer<Path> edit) {
        return dir -> {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(dir))
                        .forEach(p -> p.toFile().delete());
                copyTree(upstream.operatorsDir().resolve("prometheus"), dir);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            edit.accept(dir);
        };
    }

    private static void write(Path packageDir, String relative, String content) {
        try {
            Path versionDir = headVersionDir(packageDir);
            Path target = versionDir.resolve(relative.substring(relative.indexOf('/') + 1));
            Files.writeString(target, content);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void replaceInCsv(Path packageDir, String from, String to) {
        try (Stream<Path> files = Files.walk(packageDir)) {
            for (Path csv : files.filter(f -> f.toString().endsWith(".clusterserviceversion.yaml")).toList()) {
                Files.writeString(csv, Files.readString(csv).replaceFirst(java.util.regex.Pattern.quote(from),
                        java.util.regex.Matcher.quoteReplacement(to)));
                return;
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void replaceInFile(Path packageDir, String suffix, String from, String to) {
        try (Stream<Path> files = Files.list(packageDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(suffix)).toList()) {
                Files.writeString(file, Files.readString(file).replace(from, to));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path headVersionDir(Path packageDir) throws IOException {
        try (Stream<Path> dirs = Files.list(packageDir)) {
            return dirs.filter(Files::isDirectory).sorted().findFirst().orElseThrow();
        }
    }

    /** A "billion laughs": each level repeats the one above ten times. */
    private static String aliasBomb() {
        StringBuilder yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char previous = 'a';
        for (char level = 'b'; level <= 'i'; level++) {
            yaml.append(level).append(": &").append(level).append(" [");
            for (int i = 0; i < 9; i++) {
                yaml.append(i == 0 ? "" : ",").append('*').append(previous);
            }
            yaml.append("]\n");
            previous = level;
        }
        return yaml.toString();
    }
}
