package dev.catalogautopilot.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.catalogautopilot.events.EventJson;
import dev.catalogautopilot.events.Topics;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.catalog.PackageChange;
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
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged watcher loses its database (a {@link TcpProxy} in front of PostgreSQL, cut and restored; the shared
 * server is left alone) while a poll that detects a new release is still reading upstream: the poll cannot record
 * it, readiness turns DOWN, nothing is published; once the database is back the change is detected again, recorded
 * and published exactly once, and the catalog's status and the service's health recover.
 */
@Timeout(300)
class WatcherDatabaseOutageIT {

    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aChangeSeenWhileTheDatabaseIsAwayIsPublishedOnceWhenItIsBack() {
        String catalog = "outage-" + (System.nanoTime() % 1_000_000);
        TestDatabase db = TestDatabase.create("watcher_outage");
        try (FixtureAppRegistry upstream = FixtureAppRegistry.builder().start();
             EventStream events = EventStream.onSharedBroker(Topics.CATALOG_CHANGES);
             TcpProxy proxy = TcpProxy.start(db.host(), db.port())) {
            Map<String, String> config = new HashMap<>(db.quarkusConfig());
            config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + proxy.port() + "/" + db.name());
            String p = "watcher.catalogs." + catalog + ".";
            try (ServiceProcess watcher = ServiceProcess.builder("watcher-service")
                    .properties(config)
                    .property("kafka.bootstrap.servers", SharedKafka.bootstrapServers())
                    .property("watcher.retry.initial-backoff", "50ms")
                    .property(p + "type", "app-registry")
                    .property(p + "url", upstream.baseUrl())
                    .property(p + "namespace", upstream.namespace())
                    .property(p + "poll-interval", POLL.toString())
                    .start()) {
                assertThat(changes(events, catalog, 1).get(0).data(CatalogChanged.class).added())
                        .hasSize(upstream.packageNames().size());

                // The poll that sees the new release holds its archive download while the database goes away.
                upstream.faults().once(CnrEndpoint.BLOB, Fault.delay(Duration.ofSeconds(3)));
                long downloads = upstream.requestCount(CnrEndpoint.BLOB);
                PublishedRelease release = upstream.publishRelease("etcd");
                await().atMost(WITHIN).until(() -> upstream.requestCount(CnrEndpoint.BLOB) > downloads);
                int logged = watcher.logs().length();
                proxy.cut();
                try {
                    await().atMost(WITHIN).until(() -> watcher.logs().substring(logged)
                            .contains("poll of catalog " + catalog + " failed unexpectedly"));
                    await().atMost(WITHIN).until(() -> status(watcher, "/q/health/ready") == 503);
                    assertThat(changes(events, catalog)).as("nothing is published without the database")
                            .hasSize(1);
                } finally {
                    proxy.restore();
                }

                List<ReceivedEvent> two = changes(events, catalog, 2);
                CatalogChanged change = two.get(1).data(CatalogChanged.class);
                assertThat(change.updated()).extracting(PackageChange::name).containsExactly("etcd");
                assertThat(change.updated().get(0).release()).isEqualTo(release.release());
                assertThat(change.updated().get(0).digest()).isEqualTo("sha256:" + release.digest());
                assertThat(change.previousRevision()).isEqualTo(two.get(0).data(CatalogChanged.class).revision());

                sleep(POLL.multipliedBy(4));
                List<ReceivedEvent> all = changes(events, catalog);
                assertThat(all).as("the change is published exactly once").hasSize(2);
                assertThat(all).extracting(e -> e.envelope().id()).doesNotHaveDuplicates();
                await().atMost(WITHIN).until(() -> status(watcher, "/q/health/ready") == 200);
                Map<String, Object> status = catalogStatus(watcher, catalog);
                assertThat(status.get("revision")).isEqualTo(change.revision());
                assertThat(status.get("lastError")).isNull();
                assertThat(status.get("consecutiveFailures")).isEqualTo(0);
            }
        } finally {
            db.drop();
        }
    }

    private static List<ReceivedEvent> changes(EventStream events, String catalog, int count) {
        return events.await(e -> catalog.equals(e.envelope().subject()) && e.envelope().data() instanceof CatalogChanged,
                count, WITHIN);
    }

    private static List<ReceivedEvent> changes(EventStream events, String catalog) {
        return events.matching(e -> catalog.equals(e.envelope().subject())
                && e.envelope().data() instanceof CatalogChanged);
    }

    private static int status(ServiceProcess watcher, String path) {
        return get(watcher, path).statusCode();
    }

    private static Map<String, Object> catalogStatus(ServiceProcess watcher, String catalog) {
        HttpResponse<String> response = get(watcher, "/catalogs/" + catalog);
        assertThat(response.statusCode()).isEqualTo(200);
        try {
            return EventJson.newMapper().readValue(response.body(), new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> get(ServiceProcess watcher, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(watcher.baseUrl() + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
