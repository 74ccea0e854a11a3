package dev.catalogautopilot.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.events.ContentRef;
import dev.catalogautopilot.events.Topics;
import dev.catalogautopilot.events.mirror.CatalogMirrorFailed;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.mirror.FailedImage;
import dev.catalogautopilot.events.mirror.MirrorJobCompleted;
import dev.catalogautopilot.kafka.KafkaBroker;
import dev.catalogautopilot.mirror.plan.PlanListener;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.testing.Fixtures;
import dev.catalogautopilot.testing.content.EventContent;
import dev.catalogautopilot.testing.kafka.EventStream;
import dev.catalogautopilot.testing.kafka.PipelineTopics;
import dev.catalogautopilot.testing.kafka.ReceivedEvent;
import dev.catalogautopilot.testing.kafka.SharedKafka;
import dev.catalogautopilot.testing.postgres.TestDatabase;
import dev.catalogautopilot.testing.process.ServiceProcess;
import dev.catalogautopilot.testing.proxy.RegistryProxy;
import dev.catalogautopilot.testing.proxy.TcpProxy;
import dev.catalogautopilot.testing.registry.LocalRegistry;
import dev.catalogautopilot.testing.upstream.ImagePusher;
import dev.catalogautopilot.testing.upstream.Platform;
import dev.catalogautopilot.testing.upstream.PushedImage;
import dev.catalogautopilot.testing.upstream.SimulatedUpstream;
import dev.catalogautopilot.testing.upstream.UpstreamSimulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Faults in the middle of the mirror stage, against the packaged service, the real broker, PostgreSQL and
 * {@code docker-registry}: the database taken away and given back, the broker killed with {@code kill -9} and
 * restarted, and an upstream that sends a blob's headers and then stalls. Every plan ends, completed or failed with its reason; nothing is dead-lettered or done twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class MirrorFaultIT {

    private static final Duration WITHIN = Duration.ofMinutes(2);
    /** How long the broker stays down after each {@code kill -9}. */
    private static final Duration DOWN = Duration.ofSeconds(2);
    /** How long the database stays away: longer than a lease renewal (a third of the 6 s lease). */
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    /** Part of the fixture operators, to keep the upstream small: about half of MirrorServiceIT's images. */
    private static final List<String> OPERATORS = List.of("akka-cluster-operator", "apicast-community-operator",
            "apicurio-registry", "atlasmap-operator", "ditto-operator", "etcd", "hawtio-operator", "hazelcast-operator",
            "kubernetes-imagepuller-operator", "microcks", "spinnaker-operator", "yaks");

    private final String suffix = Long.toString(System.nanoTime() % 1_000_000);
    private LocalRegistry upstream;
    private SimulatedUpstream images;
    private PushedImage catalogImage;
    private EventStream events;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeAll
    void publishUpstream() throws Exception {
        PipelineTopics.create(SharedKafka.bootstrapServers());
        upstream = LocalRegistry.start();
        Path operators = Files.createTempDirectory("fault-operators-");
        for (String operator : OPERATORS) {
            copyTree(Fixtures.operators().resolve(operator), operators.resolve(operator));
        }
        images = UpstreamSimulator.publish(operators, upstream);
        catalogImage = ImagePusher.loopback().pushIndexImage(Fixtures.fbc().resolve("prometheus"),
                upstream.image("olm/faults-operators:v1"), List.of(Platform.LINUX_AMD64));
        events = EventStream.onSharedBroker(Topics.CATALOG_MIRRORED, Topics.MIRROR_JOBS,
                Topics.deadLetter(Topics.MIRROR_JOBS), Topics.deadLetter(Topics.CATALOG_BUILDS));
    }

    @AfterEach
    void stopTestResources() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        resources.clear();
    }

    @AfterAll
    void stop() {
        events.close();
        images.close();
        upstream.close();
    }

    /**
     * The service's database (reached through a {@link TcpProxy}) is cut mid-plan, every open connection dropped and
     * new ones refused, and given back after a few seconds: the plan completes, each image and blob is copied once,
     * no record is dead-lettered, and each job request and the completion are published once.
     */
    @Test
    void theDatabaseTakenAwayMidPlanAndGivenBack() throws Exception {
        LocalRegistry mirror = closing(LocalRegistry.start());
        TestDatabase db = TestDatabase.create("mirror_dbfault");
        TcpProxy database = closing(TcpProxy.start(db.host(), db.port()));
        String catalog = "dbfault-" + suffix;
        List<PushedImage> slice = images.pushedImages().stream().limit(100).toList();
        assertThat(slice).hasSizeGreaterThan(50);
        closing(MirrorFixture.service("worker-d", db, mirror.host(), List.of(upstream.host(), mirror.host()),
                Files.createTempDirectory("mirror-manifests-"), 2)
                .property("quarkus.datasource.reactive.url",
                        "postgresql://127.0.0.1:" + database.port() + "/" + db.name())
                .property("mirror.worker.lease", "6s")
                .property("consumer-retry.max-backoff", "1s")
                .start());

        String planId = PlanListener.planId(MirrorFixture.publishBuild(catalog, catalogImage.pinned(),
                slice.stream().map(i -> i.pinned().toString()).toList()).id());
        awaitSql(db, "SELECT count(*) >= 15 FROM mirror_job WHERE plan_id = '" + planId + "' AND state = 'DONE'");
        database.cut();
        try {
            assertThat(intQuery(db, "SELECT count(*) FROM mirror_job WHERE plan_id = '" + planId
                    + "' AND state <> 'DONE'")).as("cut mid-plan").isPositive();
            Thread.sleep(OUTAGE.toMillis()); // the outage itself, not a wait for a result
        } finally {
            database.restore();
        }

        CatalogMirrored mirrored = awaitCompletion(catalog).data(CatalogMirrored.class);
        assertThat(mirrored.images()).isEqualTo(slice.size() + 1);
        for (PushedImage image : slice) {
            assertThat(mirror.client().resolve(mirror.image(image.reference().repository() + ":"
                    + image.digest().hex())).digest()).isEqualTo(image.digest());
        }
        assertThat(intQuery(db, "SELECT count(*) FROM mirror_job WHERE plan_id = '" + planId + "' AND state = 'DONE'"))
                .isEqualTo(mirrored.images());
        assertThat(intQuery(db, "SELECT count(*) FROM (SELECT digest FROM mirror_blob WHERE placement = 'COPIED'"
                + " GROUP BY registry, digest HAVING count(*) > 1) twice")).as("blobs copied twice").isZero();

        List<ReceivedEvent> requests = events.matching(e -> e.topic().equals(Topics.MIRROR_JOBS)
                && catalog.equals(e.envelope().subject()));
        Set<String> requestIds = requests.stream().map(e -> e.envelope().id()).collect(Collectors.toSet());
        assertThat(requestIds).hasSize(intQuery(db, "SELECT count(*) FROM mirror_job WHERE plan_id = '" + planId
                + "' AND request_event_id IS NOT NULL"));
        assertThat(requests).as("each job request published once").hasSameSizeAs(requestIds);
        assertOneCompletion(catalog);
        assertNothingDeadLettered(catalog);
    }

    /**
     * The Kafka broker (this test's own, not the shared one) is killed with {@code kill -9} twice, once as soon as
     * the plan is written (its job requests on their way to and from {@code mirror.jobs}) and once while copies are
     * under way, and each time restarted after a couple of seconds on the same port and data: the service's clients
     * reconnect by themselves, the plan completes, each image is copied once (the mirror registry's access log and
     * the blob ledger), each event is on its topic once (the relay does not send again what Kafka has not answered),
     * and nothing is left unpublished, parked or dead-lettered.
     */
    @Test
    void theBrokerKilledMidPlanAndRestarted() throws Exception {
        KafkaBroker[] broker = {KafkaBroker.start()};
        resources.add(0, () -> broker[0].close());
        String bootstrap = broker[0].bootstrapServers();
        PipelineTopics.create(bootstrap);
        EventStream own = closing(EventStream.open(bootstrap, Topics.MIRROR_JOBS, Topics.MIRROR_RESULTS,
                Topics.CATALOG_MIRRORED, Topics.deadLetter(Topics.MIRROR_JOBS),
                Topics.deadLetter(Topics.CATALOG_BUILDS)));
        LocalRegistry mirror = closing(LocalRegistry.startWithAccessLog());
        TestDatabase db = TestDatabase.create("mirror_brokerkill");
        String catalog = "brokerkill-" + suffix;
        List<PushedImage> slice = images.pushedImages().stream().limit(100).toList();
        ServiceProcess service = closing(MirrorFixture.service("worker-k", db, mirror.host(),
                List.of(upstream.host(), mirror.host()), Files.createTempDirectory("mirror-manifests-"), 2)
                .property("kafka.bootstrap.servers", bootstrap)
                // The relay stops waiting while the broker is down, as its 60 s wait would in a longer outage.
                .property("outbox.send-timeout", "3s")
                .start());

        ContentRef referenced = EventContent.publishReferencedImages(catalogImage.pinned(),
                slice.stream().map(i -> i.pinned().toString()).toList());
        String planId = PlanListener.planId(MirrorFixture.publishBuild(bootstrap, catalog, catalogImage.pinned(),
                referenced).id());
        String jobsOfPlan = "FROM mirror_job WHERE plan_id = '" + planId + "'";
        awaitSql(db, "SELECT count(*) > 0 " + jobsOfPlan);
        broker[0] = broker[0].killAndRestart(DOWN);
        awaitSql(db, "SELECT count(*) >= 30 " + jobsOfPlan + " AND state = 'DONE'");
        assertThat(intQuery(db, "SELECT count(*) " + jobsOfPlan + " AND state <> 'DONE'"))
                .as("killed while copies are under way").isPositive();
        broker[0] = broker[0].killAndRestart(DOWN);

        CatalogMirrored mirrored = own.await(e -> e.topic().equals(Topics.CATALOG_MIRRORED)
                && catalog.equals(e.envelope().subject()), 1, WITHIN).get(0).data(CatalogMirrored.class);
        assertThat(mirrored.images()).isEqualTo(slice.size() + 1);
        for (PushedImage image : slice) {
            assertThat(mirror.client().resolve(mirror.image(image.reference().repository() + ":"
                    + image.digest().hex())).digest()).isEqualTo(image.digest());
        }
        assertThat(intQuery(db, "SELECT count(*) " + jobsOfPlan + " AND state = 'DONE'")).isEqualTo(mirrored.images());
        Map<String, Integer> uploads = mirror.uploads();
        assertThat(uploads).as("blobs and manifests uploaded").isNotEmpty();
        assertThat(uploads).as("uploaded more than once").allSatisfy((what, n) -> assertThat(n).isOne());
        assertThat(intQuery(db, "SELECT count(*) FROM (SELECT digest FROM mirror_blob WHERE placement = 'COPIED'"
                + " GROUP BY registry, digest HAVING count(*) > 1) twice")).as("blobs copied twice").isZero();

        Thread.sleep(2000); // long enough for a second completion or a repeated record to surface
        // Only this test publishes to its broker, so every record counts. The test's own consumer may read a
        // record again after a restart: one record is one topic-partition-offset.
        List<ReceivedEvent> all = own.all();
        Map<String, Set<String>> recordsPerEvent = all.stream().collect(Collectors.groupingBy(
                e -> e.envelope().id(), Collectors.mapping(e -> e.topic() + "/" + e.partition() + "@" + e.offset(),
                        Collectors.toSet())));
        assertThat(recordsPerEvent).as("events published more than once")
                .allSatisfy((id, records) -> assertThat(records).hasSize(1));
        assertThat(all.stream().filter(e -> e.topic().equals(Topics.MIRROR_JOBS)).map(e -> e.envelope().id())
                .distinct()).as("job requests").hasSize(intQuery(db, "SELECT count(*) " + jobsOfPlan
                        + " AND request_event_id IS NOT NULL"));
        Map<String, Set<String>> completionsPerImage = all.stream()
                .filter(e -> e.envelope().data() instanceof MirrorJobCompleted c && c.planId().equals(planId))
                .collect(Collectors.groupingBy(e -> e.data(MirrorJobCompleted.class).source(),
                        Collectors.mapping(e -> e.envelope().id(), Collectors.toSet())));
        assertThat(completionsPerImage).as("job completions per image").hasSize(mirrored.images())
                .allSatisfy((source, ids) -> assertThat(ids).hasSize(1));
        assertThat(all.stream().filter(e -> e.topic().equals(Topics.CATALOG_MIRRORED)).map(e -> e.envelope().id())
                .distinct()).as("completions of the plan").hasSize(1);
        assertThat(all.stream().filter(e -> e.topic().endsWith(Topics.DEAD_LETTER_SUFFIX))).isEmpty();
        assertThat(own.decodingErrors()).isEmpty();
        awaitSql(db, "SELECT count(*) = 0 FROM outbox_event WHERE published_at IS NULL");
        assertThat(get(service.baseUrl() + "/outbox/parked")).as("parked events").isEqualTo("[]");
    }

    /**
     * An upstream that sends a blob's headers and then stalls mid-body: an image whose blob stalls twice is retried
     * after the idle timeout and mirrored; an image whose blob always stalls fails with the idle timeout as its
     * reason, and the plan reports it with {@code catalog.mirror-failed.v1}. Nothing waits past its bounds.
     */
    @Test
    void anUpstreamThatStallsMidBody() throws Exception {
        LocalRegistry mirror = closing(LocalRegistry.start());
        TestDatabase db = TestDatabase.create("mirror_stall");
        RegistryProxy stalling = closing(RegistryProxy.start(upstream.url()));
        List<PushedImage> slice = images.pushedImages().stream().limit(20).toList();
        PushedImage recovers = slice.get(2);
        PushedImage fails = slice.get(7);
        Digest recovering = uniqueBlob(recovers, slice);
        Digest failing = uniqueBlob(fails, slice);
        stalling.stallBlob(recovering, 2).stallBlob(failing, Integer.MAX_VALUE);
        closing(MirrorFixture.service("worker-s", db, mirror.host(),
                List.of(upstream.host(), mirror.host(), stalling.host()),
                Files.createTempDirectory("mirror-manifests-"), 4)
                .property("mirror.registry.idle-timeout", "1s")
                .property("mirror.registry.retries", "1")
                .start());

        String catalog = "stall-" + suffix;
        MirrorFixture.publishBuild(catalog, catalogImage.pinned(), slice.stream()
                .map(i -> ImageReference.of(stalling.host(), i.reference().repository(), i.digest()).toString())
                .toList());

        CatalogMirrorFailed failed = awaitCompletion(catalog).data(CatalogMirrorFailed.class);
        assertThat(failed.failedImages()).extracting(FailedImage::source).containsExactly(
                ImageReference.of(stalling.host(), fails.reference().repository(), fails.digest()).toString());
        assertThat(failed.failedImages().get(0).error()).contains("idle timeout");
        assertThat(failed.failedCount()).isEqualTo(1);
        assertThat(stalling.stalledResponses()).isGreaterThanOrEqualTo(3);
        for (PushedImage image : slice) {
            ImageReference target = mirror.image(image.reference().repository() + ":" + image.digest().hex());
            assertThat(mirror.client().hasManifest(target)).as("%s", target).isEqualTo(image != fails);
        }
        assertOneCompletion(catalog);
        assertNothingDeadLettered(catalog);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    /** A blob of {@code image} that no other image of {@code slice} has. */
    private static Digest uniqueBlob(PushedImage image, List<PushedImage> slice) {
        return image.blobs().stream()
                .filter(blob -> slice.stream().filter(other -> other != image).noneMatch(o -> o.blobs().contains(blob)))
                .findFirst().orElseThrow(() -> new AssertionError("no blob unique to " + image.reference()));
    }

    private ReceivedEvent awaitCompletion(String catalog) {
        return events.await(e -> e.topic().equals(Topics.CATALOG_MIRRORED) && catalog.equals(e.envelope().subject()),
                1, WITHIN).get(0);
    }

    /** As in MirrorServiceIT: long enough for a second completion to surface, then one event id. */
    private void assertOneCompletion(String catalog) throws InterruptedException {
        Thread.sleep(2000);
        assertThat(events.matching(e -> e.topic().equals(Topics.CATALOG_MIRRORED)
                && catalog.equals(e.envelope().subject())).stream().map(e -> e.envelope().id()).distinct()).hasSize(1);
    }

    private void assertNothingDeadLettered(String catalog) {
        assertThat(events.matching(e -> e.topic().endsWith(Topics.DEAD_LETTER_SUFFIX)
                && catalog.equals(e.envelope().subject()))).isEmpty();
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    private static int intQuery(TestDatabase db, String sql) throws SQLException {
        try (Connection connection = db.connect(); ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static void awaitSql(TestDatabase db, String condition) throws Exception {
        Instant deadline = Instant.now().plus(WITHIN);
        while (Instant.now().isBefore(deadline)) {
            try (Connection connection = db.connect();
                    ResultSet rows = connection.createStatement().executeQuery(condition)) {
                if (rows.next() && rows.getBoolean(1)) {
                    return;
                }
            } catch (SQLException notMigratedYet) {
                // The service creates the tables at startup.
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not within " + WITHIN + ": " + condition);
    }

    private <T extends AutoCloseable> T closing(T resource) {
        resources.add(0, resource);
        return resource;
    }
}
