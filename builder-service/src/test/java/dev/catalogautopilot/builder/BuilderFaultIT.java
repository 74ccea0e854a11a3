package dev.catalogautopilot.builder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.Topics;
import dev.catalogautopilot.events.catalog.CatalogBuildFailed;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.catalog.PackageSnapshot;
import dev.catalogautopilot.events.catalog.UpstreamSource;
import dev.catalogautopilot.events.catalog.WatchTrigger;
import dev.catalogautopilot.events.kafka.KafkaCloudEvents;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.testing.Fixtures;
import dev.catalogautopilot.testing.appregistry.CnrEndpoint;
import dev.catalogautopilot.testing.appregistry.Fault;
import dev.catalogautopilot.testing.appregistry.FixtureAppRegistry;
import dev.catalogautopilot.testing.appregistry.PublishedRelease;
import dev.catalogautopilot.testing.kafka.EventStream;
import dev.catalogautopilot.testing.kafka.ReceivedEvent;
import dev.catalogautopilot.testing.kafka.SharedKafka;
import dev.catalogautopilot.testing.postgres.TestDatabase;
import dev.catalogautopilot.testing.process.ServiceProcess;
import dev.catalogautopilot.testing.proxy.TcpProxy;
import dev.catalogautopilot.testing.registry.LocalRegistry;
import dev.catalogautopilot.testing.upstream.ImagePusher;
import dev.catalogautopilot.testing.upstream.Platform;
import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged builder under {@code -Xmx512m} with its default input limits, fed the release archives that once
 * killed it with {@code OutOfMemoryError}, while another catalog builds; then a job that kills its worker, and a
 * build whose database goes away midway (a {@link TcpProxy} between the builder and PostgreSQL is cut and restored,
 * so the shared server is left alone).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuilderFaultIT {

    private static final Duration WITHIN = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String sfx = Long.toString(System.nanoTime() % 1_000_000);
    private final String hostile = "hostile-" + sfx;
    private final String healthy = "healthy-" + sfx;
    private final String poison = "poison-" + sfx;
    private final String outage = "outage-" + sfx;
    private final List<Path> temp = new ArrayList<>();

    private FixtureAppRegistry hostileRegistry;
    private FixtureAppRegistry healthyRegistry;
    private FixtureAppRegistry poisonRegistry;
    private FixtureAppRegistry outageRegistry;
    private TcpProxy database;
    private LocalRegistry mirror;
    private EventStream events;
    private KafkaProducer<String, byte[]> producer;
    private ServiceProcess builder;

    @BeforeAll
    void start() throws Exception {
        hostileRegistry = FixtureAppRegistry.builder().packagesDir(copyOf("prometheus", "etcd")).start();
        healthyRegistry = FixtureAppRegistry.builder().packagesDir(copyOf("prometheus", "etcd")).start();
        poisonRegistry = FixtureAppRegistry.builder().packagesDir(copyOf("etcd")).start();
        outageRegistry = FixtureAppRegistry.builder().packagesDir(copyOf("etcd")).start();
        mirror = LocalRegistry.start();
        ImageReference base = mirror.image("base/opm:v1");
        ImagePusher.loopback().pushMultiArchBase(base, List.of(Platform.LINUX_AMD64));
        events = EventStream.onSharedBroker(Topics.CATALOG_BUILDS);
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", SharedKafka.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new ByteArraySerializer());
        TestDatabase db = TestDatabase.create("builder");
        database = TcpProxy.start(db.host(), db.port());
        ServiceProcess.Builder service = ServiceProcess.builder("builder-service").maxHeap("512m")
                .properties(new TestDatabase("127.0.0.1", database.port(), db.name(), db.user(), db.password())
                        .quarkusConfig())
                .property("kafka.bootstrap.servers", SharedKafka.bootstrapServers())
                .property("builder.work-dir", Files.createTempDirectory("builder-work").toString())
                .property("builder.runner.lease", "6s")
                .property("builder.runner.reconcile-every", "1s")
                .property("builder.runner.max-attempts", "2");
        Map<String, FixtureAppRegistry> upstreams = Map.of(hostile, hostileRegistry, healthy, healthyRegistry,
                poison, poisonRegistry, outage, outageRegistry);
        upstreams.forEach((catalog, registry) -> {
            String p = "builder.catalogs." + catalog + ".";
            service.properties(Map.of(p + "target", mirror.host() + "/olm", p + "tag", "v2",
                    p + "base-image", base.toString(), p + "insecure-registries", mirror.host(),
                    p + "upstream.url", registry.baseUrl(), p + "upstream.namespace", registry.namespace()));
        });
        builder = service.build().start();
    }

    @AfterAll
    void stop() {
        if (builder != null) {
            builder.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {events, hostileRegistry, healthyRegistry, poisonRegistry,
                outageRegistry, mirror, producer, database}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Test
    @Order(1)
    void eachHostileArchiveIsRefusedWithItsReasonWhileAnotherCatalogBuildsAndTheServiceStaysHealthy() {
        Map<String, byte[]> payloads = new LinkedHashMap<>();
        payloads.put("expands through YAML aliases", HostileArchives.nestedPackage("prometheus",
                HostileArchives.fileWith("prometheus/1.0.0/bomb.yaml", HostileArchives.quietAliasBomb())));
        payloads.put("expands through YAML aliases to more than 8388608 bytes", HostileArchives.nestedPackage(
                "prometheus", HostileArchives.fileWith("prometheus/1.0.0/scalars.yaml",
                        HostileArchives.scalarAliasBomb())));
        payloads.put("unpacks to more than 268435456 bytes (link copies included)", HostileArchives.nestedPackage(
                "prometheus", HostileArchives.hardLinksTo("prometheus/1.0.0/big.yaml", 4 * 1024 * 1024, 1500)));
        payloads.put("a long-name or PAX header declares 1610612736 bytes",
                HostileArchives.longNameHeader(1536L * 1024 * 1024));
        int round = 0;
        for (Map.Entry<String, byte[]> payload : payloads.entrySet()) {
            round++;
            hostileRegistry.publishArchive("prometheus", payload.getValue());
            send(change(hostile, hostileRegistry, "hostile-" + round));
            send(change(healthy, healthyRegistry, "healthy-" + round));

            CatalogBuildFailed failed = awaitEvents(hostile, CatalogBuildFailed.class, round).get(round - 1);
            assertThat(failed.reason()).as(payload.getKey()).startsWith("upstream content refused: ")
                    .contains(payload.getKey());
            assertThat(awaitEvents(healthy, CatalogBuilt.class, round)).as("the other catalog built meanwhile")
                    .hasSize(round);
            JsonNode latest = builds(hostile).get(0);
            assertThat(latest.path("status").asText()).isEqualTo("FAILED");
            assertThat(latest.path("reason").asText()).contains(payload.getKey());
            assertThat(builder.isRunning()).isTrue();
            assertThat(get("/q/health").statusCode()).as("healthy after: " + payload.getKey()).isEqualTo(200);
        }
        assertThat(builder.logs()).doesNotContain("OutOfMemoryError");
    }

    @Test
    @Order(2)
    void aJobThatKillsItsWorkerEveryTimeFailsWithAReasonAfterItsAttempts() {
        poisonRegistry.faults().on(CnrEndpoint.BLOB, Fault.delay(Duration.ofMinutes(5)));
        send(change(poison, poisonRegistry, "poison"));
        for (int attempt = 1; attempt <= 2; attempt++) {
            int expected = attempt;
            Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> {
                List<JsonNode> jobs = builds(poison);
                return !jobs.isEmpty() && jobs.get(0).path("status").asText().equals("RUNNING")
                        && jobs.get(0).path("attempts").asInt() == expected;
            });
            builder.kill();
            builder.start();
        }
        CatalogBuildFailed failed = awaitEvents(poison, CatalogBuildFailed.class, 1).get(0);
        assertThat(failed.reason()).contains("during attempt 2; gave up after 2 attempts");
        JsonNode job = builds(poison).get(0);
        assertThat(job.path("status").asText()).isEqualTo("FAILED");
        assertThat(job.path("attempts").asInt()).isEqualTo(2);
        assertThat(job.path("reason").asText()).isEqualTo(failed.reason());

        send(change(healthy, healthyRegistry, "after-poison"));
        assertThat(awaitEvents(healthy, CatalogBuilt.class, 5)).as("later builds run").hasSize(5);
    }

    @Test
    @Order(3)
    void aBuildThatLosesItsDatabaseMidwayCompletesOnceTheDatabaseIsBackAndPublishesOnce() {
        outageRegistry.faults().once(CnrEndpoint.BLOB, Fault.delay(Duration.ofSeconds(4)));
        long downloads = outageRegistry.requestCount(CnrEndpoint.BLOB);
        send(change(outage, outageRegistry, "outage-1"));
        Awaitility.await().atMost(WITHIN).until(() -> outageRegistry.requestCount(CnrEndpoint.BLOB) > downloads);
        int logged = builder.logs().length();
        database.cut(); // the download is under way: the build needs the database again when it returns
        // The attempt fails on its next database call, and re-queueing it waits for the database.
        Awaitility.await().atMost(WITHIN).until(() -> builder.logs().substring(logged)
                .contains("catalog " + outage + ": re-queueing for job"));
        database.restore();

        CatalogBuilt built = awaitEvents(outage, CatalogBuilt.class, 1).get(0);
        assertThat(built.counts().packages()).isEqualTo(1);
        JsonNode job = builds(outage).get(0);
        assertThat(job.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.path("attempts").asInt()).as("the attempt that lost the database was retried").isEqualTo(2);

        // A later change of the same catalog (same partition, so after any duplicate of the first event) builds too.
        send(change(outage, outageRegistry, "outage-2"));
        List<ReceivedEvent> outcomes = events.await(e -> outage.equals(e.envelope().subject()), 2, WITHIN);
        assertThat(outcomes).extracting(e -> e.envelope().data().getClass().getSimpleName())
                .containsExactly("CatalogBuilt", "CatalogBuilt");
        assertThat(outcomes).extracting(e -> e.envelope().id()).doesNotHaveDuplicates();
        assertThat(get("/q/health").statusCode()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- helpers

    private EventEnvelope<CatalogChanged> change(String catalog, FixtureAppRegistry registry, String origin) {
        List<PackageSnapshot> packages = new ArrayList<>();
        for (String name : registry.packageNames()) {
            PublishedRelease latest = registry.latest(name);
            List<String> releases = registry.releases(name).stream().map(PublishedRelease::release).toList();
            packages.add(new PackageSnapshot(name, latest.release(), releases, "sha256:" + latest.digest()));
        }
        CatalogChanged change = new CatalogChanged(catalog, new UpstreamSource.AppRegistry(registry.baseUrl(),
                registry.namespace()), WatchTrigger.POLL, "sha256:" + Integer.toHexString(packages.hashCode()), null,
                packages, List.of(), List.of(), List.of(), null, Instant.now());
        return EventEnvelope.first(EventSources.WATCHER, catalog, change, origin + "-" + System.nanoTime(),
                Clock.systemUTC());
    }

    private void send(EventEnvelope<CatalogChanged> change) {
        try {
            producer.send(KafkaCloudEvents.toProducerRecord(change)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private <T extends dev.catalogautopilot.events.EventData> List<T> awaitEvents(String catalog, Class<T> type,
            int count) {
        return events.await(e -> catalog.equals(e.envelope().subject()) && type.isInstance(e.envelope().data()),
                count, WITHIN).stream().map(e -> e.data(type)).toList();
    }

    private List<JsonNode> builds(String catalog) {
        try {
            HttpResponse<String> response = get("/builds/" + catalog);
            List<JsonNode> jobs = new ArrayList<>();
            CatalogView.JSON.readTree(response.body()).forEach(jobs::add);
            return jobs;
        } catch (IOException e) {
            return List.of();
        }
    }

    private HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(builder.baseUrl() + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Path copyOf(String... packages) throws IOException {
        Path dir = Files.createTempDirectory("packages-");
        temp.add(dir);
        for (String pkg : packages) {
            Path from = Fixtures.operators().resolve(pkg);
            try (Stream<Path> walk = Files.walk(from)) {
                for (Path p : walk.sorted().toList()) {
                    Path target = dir.resolve(pkg).resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.write(target, Files.readAllBytes(p));
                    }
                }
            }
        }
        return dir;
    }
}
