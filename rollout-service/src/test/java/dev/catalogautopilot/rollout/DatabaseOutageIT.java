package dev.catalogautopilot.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catalogautopilot.audit.dlq.DeadLetterTopic;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.Topics;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.rollout.RolloutStarted;
import dev.catalogautopilot.testing.cluster.SimulatedCluster;
import dev.catalogautopilot.testing.cluster.SimulatedFleet;
import dev.catalogautopilot.testing.kafka.SharedKafka;
import dev.catalogautopilot.testing.postgres.TestDatabase;
import dev.catalogautopilot.testing.process.ServiceProcess;
import dev.catalogautopilot.testing.proxy.TcpProxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * The packaged rollout-service consumes a catalog-mirrored event while its database is unreachable (a TCP proxy in
 * front of PostgreSQL, cut and restored): the record is retried in place, the consumer reports itself stuck, nothing
 * is dead-lettered, and the rollout starts once, as soon as the database is back.
 */
class DatabaseOutageIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    @Test
    void aCatalogMirroredEventConsumedWhileTheDatabaseIsDownIsNotDeadLetteredAndStartsItsRolloutWhenItIsBack() {
        String catalog = "outage-" + (System.nanoTime() % 1_000_000);
        TestDatabase db = TestDatabase.create("rollout_outage");
        try (RolloutFixture fixture = new RolloutFixture();
             SimulatedFleet fleet = SimulatedFleet.start(1, i -> SimulatedCluster.builder("outage-" + i)
                     .label("ring", "canary").readyDelay(Duration.ofMillis(100)));
             TcpProxy proxy = TcpProxy.start(db.host(), db.port())) {
            Map<String, String> config = new HashMap<>(db.quarkusConfig());
            config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + proxy.port() + "/" + db.name());
            try (ServiceProcess service = ServiceProcess.builder("rollout-service")
                    .properties(config)
                    .properties(fixture.serviceProperties())
                    .properties(fleet.rolloutProperties())
                    .properties(RolloutFixture.canaryThenMainWaves())
                    .properties(RolloutFixture.catalogs(catalog))
                    .property("consumer-retry.max-backoff", "1s")
                    .property("consumer-retry.stuck-after", "3s")
                    .start()) {
                String image = fixture.pushCatalogImage("olm/" + catalog, "v1");
                EventEnvelope<CatalogMirrored> event = fixture.mirrored(catalog, image);

                proxy.cut();
                RecordMetadata published;
                try {
                    published = fixture.publish(event);
                    await().atMost(WITHIN).untilAsserted(() -> {
                        JsonNode status = consumer(fixture, service);
                        assertThat(status.path("inFlight").asText()).isEqualTo(Topics.CATALOG_MIRRORED + "-"
                                + published.partition() + "@" + published.offset());
                        assertThat(status.path("attempts").asInt()).isGreaterThanOrEqualTo(3);
                        assertThat(status.path("stuck").asBoolean()).isTrue();
                    });
                } finally {
                    proxy.restore();
                }

                fixture.awaitConsumed(published, WITHIN);
                assertThat(fixture.await(catalog, RolloutStarted.class, s -> true, 1, WITHIN)).hasSize(1);
                JsonNode status = consumer(fixture, service);
                assertThat(status.path("inFlight").isNull()).isTrue();
                assertThat(status.path("stuck").asBoolean()).isFalse();
                assertThat(new DeadLetterTopic(SharedKafka.bootstrapServers(),
                        Topics.deadLetter(Topics.CATALOG_MIRRORED)).read())
                        .noneMatch(l -> l.eventId().filter(event.id()::equals).isPresent());
                assertThat(fixture.get(service.baseUrl() + "/rollouts?catalog=" + catalog)).hasSize(1);
            }
        } finally {
            db.drop();
        }
    }

    private static JsonNode consumer(RolloutFixture fixture, ServiceProcess service) {
        for (JsonNode c : fixture.get(service.baseUrl() + "/consumers")) {
            if (c.path("topic").asText().equals(Topics.CATALOG_MIRRORED)) {
                return c;
            }
        }
        throw new AssertionError("no catalog.mirrored consumer on /consumers");
    }
}
