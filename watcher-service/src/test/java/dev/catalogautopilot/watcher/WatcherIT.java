package dev.catalogautopilot.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.catalogautopilot.events.EventChain;
import dev.catalogautopilot.events.EventJson;
import dev.catalogautopilot.events.Topics;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.catalog.CatalogWatchFailed;
import dev.catalogautopilot.events.catalog.PackageChange;
import dev.catalogautopilot.events.catalog.WatchTrigger;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.testing.Fixtures;
import dev.catalogautopilot.testing.appregistry.Fault;
import dev.catalogautopilot.testing.appregistry.FixtureAppRegistry;
import dev.catalogautopilot.testing.appregistry.PublishedRelease;
import dev.catalogautopilot.testing.kafka.EventStream;
import dev.catalogautopilot.testing.kafka.ReceivedEvent;
import dev.catalogautopilot.testing.kafka.SharedKafka;
import dev.catalogautopilot.testing.postgres.TestDatabase;
import dev.catalogautopilot.testing.process.ServiceProcess;
import dev.catalogautopilot.testing.registry.LocalRegistry;
import dev.catalogautopilot.testing.upstream.ImagePusher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged watcher as its own process, against the real Kafka broker, a real PostgreSQL database, the fixture
 * App Registry and a real registry. One watcher watches three catalogs; the tests run in order, as a story.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WatcherIT {

    private static final Duration POLL = Duration.ofSeconds(2);
    private static final Duration WITHIN = POLL.plusSeconds(8);
    private static final String USER = "ci-robot";
    private static final String PASSWORD = "s3cr3t-cnr-password";
    private static final String OPERATOR_PASSWORD = "op-pass-7f3a";

    private final String suffix = Long.toString(System.nanoTime() % 1_000_000);
    private final String community = "community-" + suffix;
    private final String flaky = "flaky-" + suffix;
    private final String index = "index-" + suffix;

    private FixtureAppRegistry appRegistry;
    private FixtureAppRegistry flakyRegistry;
    private LocalRegistry registry;
    private ImageReference indexTag;
    private String firstIndexDigest;
    private EventStream events;
    private ServiceProcess watcher;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startInfrastructure() throws Exception {
        appRegistry = FixtureAppRegistry.builder().requireAuth(USER, PASSWORD).start();
        flakyRegistry = FixtureAppRegistry.builder().start();
        registry = LocalRegistry.start();
        indexTag = registry.image("catalogs/index-" + suffix + ":v4.16");
        firstIndexDigest = ImagePusher.loopback().pushIndexImage(Fixtures.fbc().resolve("index-declcfgs/old"), indexTag).digest()
                .toString();
        events = EventStream.onSharedBroker(Topics.CATALOG_CHANGES);

        Path credentials = Files.createTempFile("cnr-credentials", ".json");
        Files.writeString(credentials, "{\"username\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}");
        TestDatabase db = TestDatabase.create("watcher");
        watcher = ServiceProcess.builder("watcher-service")
                .properties(db.quarkusConfig())
                .property("kafka.bootstrap.servers", SharedKafka.bootstrapServers())
                .property("watcher.retry.initial-backoff", "50ms")
                .property("quarkus.security.users.embedded.users.operator", OPERATOR_PASSWORD)
                .property("quarkus.security.users.embedded.roles.operator", "trigger")
                .property("quarkus.security.users.embedded.users.viewer", OPERATOR_PASSWORD)
                .property("quarkus.security.users.embedded.roles.viewer", "approve")
                .property("watcher.max-response-bytes", "1048576")
                .properties(appRegistryCatalog(community, appRegistry))
                .property("watcher.catalogs." + community + ".credentials", credentials.toString())
                .properties(appRegistryCatalog(flaky, flakyRegistry))
                .property("watcher.catalogs." + index + ".type", "index-image")
                .property("watcher.catalogs." + index + ".image", indexTag.toString())
                .property("watcher.catalogs." + index + ".insecure", "true")
                .property("watcher.catalogs." + index + ".poll-interval", POLL.toString())
                .build();
        watcher.start();
    }

    private Map<String, String> appRegistryCatalog(String name, FixtureAppRegistry server) {
        String prefix = "watcher.catalogs." + name + ".";
        return Map.of(prefix + "type", "app-registry", prefix + "url", server.baseUrl(),
                prefix + "namespace", server.namespace(), prefix + "poll-interval", POLL.toString());
    }

    @AfterAll
    void stopInfrastructure() {
        if (watcher != null) {
            watcher.close();
            assertThat(watcher.logs()).as("secrets never reach the logs").doesNotContain(PASSWORD);
        }
        for (AutoCloseable c : new AutoCloseable[] {events, appRegistry, flakyRegistry, registry}) {
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
    void firstPollEmitsOneChangeListingEveryPackage() {
        ReceivedEvent first = changes(community, 1).get(0);
        CatalogChanged change = first.data(CatalogChanged.class);
        assertThat(change.trigger()).isEqualTo(WatchTrigger.POLL);
        assertThat(change.previousRevision()).isNull();
        assertThat(change.added()).extracting(PackageChange::name)
                .containsExactlyInAnyOrderElementsOf(appRegistry.packageNames());
        assertThat(change.added()).hasSize(25).allSatisfy(p -> {
            assertThat(p.release()).isEqualTo("1.0.0");
            assertThat(p.digest()).matches("sha256:[a-f0-9]{64}");
        });
        assertThat(change.packages()).hasSize(25);
        assertThat(change.updated()).isEmpty();
        assertThat(change.removed()).isEmpty();
        quiet(community, 1);
    }

    @Test
    @Order(2)
    void eventsCarryCloudEventsHeadersAndParseBack() {
        ReceivedEvent event = changes(community, 1).get(0);
        assertThat(event.topic()).isEqualTo("catalog.changes");
        assertThat(event.key()).isEqualTo(community);
        assertThat(event.headers()).containsEntry("ce_specversion", "1.0")
                .containsEntry("ce_type", "dev.catalogautopilot.catalog.changed.v1")
                .containsEntry("ce_subject", community)
                .containsEntry("ce_source", "/catalog-autopilot/watcher-service")
                .containsKeys("ce_id", "ce_time", "ce_correlationid");
        assertThat(event.headers().get("content-type")).startsWith("application/json");
        assertThat(event.envelope().id()).isEqualTo(event.headers().get("ce_id"));
        assertThat(event.envelope().correlationId()).as("a change starts a new run").isEqualTo(event.envelope().id());
        assertThat(event.envelope().causationId()).isNull();
        assertThat(event.envelope().data()).isInstanceOf(CatalogChanged.class);
        assertThat(events.decodingErrors()).isEmpty();
    }

    @Test
    @Order(3)
    void newReleaseEmitsExactlyOneEventNamingOnlyThatPackage() {
        PublishedRelease release = appRegistry.publishRelease("etcd");
        CatalogChanged change = changes(community, 2).get(1).data(CatalogChanged.class);
        assertThat(change.updated()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("etcd");
            assertThat(p.release()).isEqualTo(release.release());
            assertThat(p.previousRelease()).isEqualTo("1.0.0");
            assertThat(p.digest()).isEqualTo("sha256:" + release.digest());
            assertThat(p.previousDigest()).isNotEqualTo(p.digest());
        });
        assertThat(change.added()).isEmpty();
        assertThat(change.removed()).isEmpty();
        assertThat(change.previousRevision()).isEqualTo(changes(community, 1).get(0).data(CatalogChanged.class).revision());
        quiet(community, 2);
    }

    @Test
    @Order(4)
    void eventsOfACatalogFormAHashChain() {
        List<ReceivedEvent> two = changes(community, 2);
        ReceivedEvent first = two.get(0);
        ReceivedEvent second = two.get(1);
        assertThat(first.headers()).doesNotContainKey("ce_chainprev");
        assertThat(second.headers()).containsEntry("ce_chainprev", first.envelope().id());
        String firstHash = chainHash(null, first);
        assertThat(first.headers()).containsEntry("ce_chainhash", firstHash);
        assertThat(second.headers()).containsEntry("ce_chainhash", chainHash(firstHash, second));
    }

    private static String chainHash(String previous, ReceivedEvent event) {
        var e = event.envelope();
        return EventChain.hash(previous, e.id(), e.type(), e.source(), e.subject(), e.time(), e.correlationId(),
                e.causationId(), event.value());
    }

    @Test
    @Order(5)
    void restartWithoutUpstreamChangeEmitsNothing() {
        watcher.stop();
        watcher.start();
        quiet(community, 2);
        assertThat(changes(index, 1)).hasSize(1);
    }

    @Test
    @Order(6)
    void releasePublishedWhileStoppedIsEmittedOnceAfterStart() {
        watcher.kill();
        PublishedRelease release = appRegistry.publishRelease("jaeger");
        watcher.start();
        CatalogChanged change = changes(community, 3).get(2).data(CatalogChanged.class);
        assertThat(change.updated()).extracting(PackageChange::name).containsExactly("jaeger");
        assertThat(change.updated().get(0).release()).isEqualTo(release.release());
        quiet(community, 3);
    }

    @Test
    @Order(7)
    void newManifestUnderWatchedIndexTagEmitsOldAndNewDigest() {
        CatalogChanged first = changes(index, 1).get(0).data(CatalogChanged.class);
        assertThat(first.indexImage().previousDigest()).isNull();
        assertThat(first.indexImage().digest()).isEqualTo(firstIndexDigest);

        String newDigest = ImagePusher.loopback().pushIndexImage(Fixtures.fbc().resolve("index-declcfgs/latest"), indexTag).digest()
                .toString();
        assertThat(newDigest).isNotEqualTo(firstIndexDigest);
        CatalogChanged second = changes(index, 2).get(1).data(CatalogChanged.class);
        assertThat(second.indexImage().reference()).isEqualTo(indexTag.toString());
        assertThat(second.indexImage().previousDigest()).isEqualTo(firstIndexDigest);
        assertThat(second.indexImage().digest()).isEqualTo(newDigest);
        assertThat(second.revision()).isEqualTo(newDigest);
        quiet(index, 2);
    }

    @Test
    @Order(8)
    void badUpstreamAnswersShowInStatusEmitNoChangeAndRecover() throws Exception {
        changes(flaky, 1);
        List<Fault> faults = List.of(Fault.MALFORMED_JSON, Fault.status(404), Fault.oversized(2 * 1024 * 1024));
        for (Fault fault : faults) {
            flakyRegistry.faults().listing(fault);
            Map<String, Object> status = awaitStatus(flaky, s -> s.get("lastError") != null);
            assertThat((String) status.get("lastError")).isNotBlank();
            flakyRegistry.faults().clear();
            awaitStatus(flaky, s -> s.get("lastError") == null);
        }
        // A changed package whose archive is missing fails the poll as a whole.
        flakyRegistry.faults().missingBlob("prometheus");
        flakyRegistry.publishRelease("prometheus");
        Map<String, Object> missing = awaitStatus(flaky, s -> s.get("lastError") != null);
        assertThat((String) missing.get("lastError")).contains("prometheus").contains("404");
        quiet(flaky, 1);

        flakyRegistry.faults().clear();
        CatalogChanged recovered = changes(flaky, 2).get(1).data(CatalogChanged.class);
        assertThat(recovered.updated()).extracting(PackageChange::name).containsExactly("prometheus");
        assertThat(awaitStatus(flaky, s -> s.get("lastError") == null).get("consecutiveFailures")).isEqualTo(0);

        List<ReceivedEvent> failures = events.matching(e -> flaky.equals(e.envelope().subject())
                && e.envelope().data() instanceof CatalogWatchFailed);
        assertThat(failures).as("one watch-failed event per failure streak").hasSize(faults.size() + 1);
    }

    @Test
    @Order(9)
    void serverErrorsAreRetriedWithinOnePoll() throws Exception {
        flakyRegistry.faults().listingOnce(Fault.status(503));
        flakyRegistry.publishRelease("etcd");
        CatalogChanged change = changes(flaky, 3).get(2).data(CatalogChanged.class);
        assertThat(change.updated()).extracting(PackageChange::name).containsExactly("etcd");
        assertThat(status(flaky).get("lastError")).isNull();
    }

    @Test
    @Order(10)
    void manualTriggerEmitsAChangeMarkedManualAtTheCurrentRevision() throws Exception {
        String revision = (String) status(community).get("revision");
        assertThat(trigger(community, null).statusCode()).as("no credentials").isEqualTo(401);
        assertThat(trigger(community, "viewer").statusCode()).as("a user without the trigger role").isEqualTo(403);
        assertThat(events.matching(e -> community.equals(e.envelope().subject())
                && e.envelope().data() instanceof CatalogChanged c && c.trigger() == WatchTrigger.MANUAL))
                .as("a refused trigger emits nothing").isEmpty();
        HttpResponse<String> response = trigger(community, "operator");
        assertThat(response.statusCode()).isEqualTo(202);
        CatalogChanged manual = changes(community, 4).get(3).data(CatalogChanged.class);
        assertThat(manual.trigger()).isEqualTo(WatchTrigger.MANUAL);
        assertThat(manual.revision()).isEqualTo(revision);
        assertThat(manual.packages()).hasSize(25);
        assertThat(manual.added()).isEmpty();
        assertThat(manual.updated()).isEmpty();

        assertThat(trigger("nope", "operator").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> trigger(String catalog, String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create(watcher.baseUrl() + "/catalogs/" + catalog + "/trigger"))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (user != null) {
            request.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                    (user + ":" + OPERATOR_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(11)
    void statusListsEveryCatalogWithItsRevision() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(watcher.baseUrl() + "/catalogs"))
                .build(), HttpResponse.BodyHandlers.ofString());
        List<Map<String, Object>> all = EventJson.newMapper().readValue(response.body(), new TypeReference<>() {
        });
        assertThat(all).extracting(s -> s.get("name")).containsExactlyInAnyOrder(community, flaky, index);
        assertThat(all).allSatisfy(s -> {
            assertThat(s.get("revision")).asString().startsWith("sha256:");
            assertThat(s.get("lastPollAt")).isNotNull();
        });
        assertThat(watcher.logs()).doesNotContain(PASSWORD);
    }

    private List<ReceivedEvent> changes(String catalog, int count) {
        Predicate<ReceivedEvent> isChange = e -> catalog.equals(e.envelope().subject())
                && e.envelope().data() instanceof CatalogChanged;
        return events.await(isChange, count, WITHIN.plusSeconds(20));
    }

    /** Waits three poll intervals and checks no further change event arrived. */
    private void quiet(String catalog, int expected) {
        sleep(POLL.multipliedBy(3));
        assertThat(events.matching(e -> catalog.equals(e.envelope().subject())
                && e.envelope().data() instanceof CatalogChanged)).hasSize(expected);
    }

    private Map<String, Object> status(String catalog) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(watcher.baseUrl() + "/catalogs/" + catalog)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return EventJson.newMapper().readValue(response.body(), new TypeReference<>() {
        });
    }

    private Map<String, Object> awaitStatus(String catalog, Predicate<Map<String, Object>> condition) throws Exception {
        long deadline = System.currentTimeMillis() + WITHIN.plusSeconds(10).toMillis();
        Map<String, Object> last = null;
        while (System.currentTimeMillis() < deadline) {
            last = status(catalog);
            if (condition.test(last)) {
                return last;
            }
            sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("status of " + catalog + " never matched; last: " + last);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
