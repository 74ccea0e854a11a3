package dev.catalogautopilot.outbox.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventSizeLimit;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.catalog.CatalogWatchFailed;
import dev.catalogautopilot.events.catalog.UpstreamSource;
import dev.catalogautopilot.outbox.Outbox;
import dev.catalogautopilot.outbox.ReactiveWork;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * An event the real broker refuses for good (larger than its topic's {@code max.message.bytes}) is parked with its
 * reason and counted, and the event committed after it is still published.
 */
@QuarkusTest
@QuarkusTestResource(value = OutboxTestStack.class, restrictToAnnotatedClass = false)
class OutboxParkingIT {

    @Inject
    Outbox outbox;

    private static final Duration WITHIN = Duration.ofSeconds(60);

    @Test
    void anEventTheBrokerRefusesIsParkedWithItsReasonAndLaterEventsStillFlow() throws Exception {
        String topic = OutboxTestStack.smallTopic;
        insert("too-large-1", topic, "x".repeat(OutboxTestStack.SMALL_LIMIT * 2));
        insert("after-1", topic, "{\"small\":true}");

        List<ConsumerRecord<String, byte[]>> published = RawTopic.read(OutboxTestStack.bootstrap, topic, 1, WITHIN);
        assertThat(published).extracting(r -> new String(r.headers().lastHeader("ce_id").value()))
                .containsExactly("after-1");

        await().atMost(WITHIN).untilAsserted(() -> {
            List<Map<String, Object>> parked = given().get("/outbox/parked").then().statusCode(200).extract()
                    .jsonPath().getList("$");
            assertThat(parked).singleElement().satisfies(p -> {
                assertThat(p).containsEntry("id", "too-large-1").containsEntry("topic", topic)
                        .containsEntry("payloadBytes", OutboxTestStack.SMALL_LIMIT * 2);
                assertThat((String) p.get("reason")).startsWith("RecordTooLargeException");
            });
        });
        await().atMost(WITHIN).untilAsserted(() -> {
            Map<String, Object> status = given().get("/outbox/status").then().statusCode(200).extract()
                    .jsonPath().getMap("$");
            assertThat(status).containsEntry("pending", 0).containsEntry("parked", 1);
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(metrics).contains("outbox_parked_total{topic=\"" + topic + "\"} 1.0")
                    .contains("outbox_parked_events 1.0").contains("outbox_pending 0.0")
                    .contains("outbox_oldest_pending_age_seconds 0.0");
        });
        // Parking is not a broken producer: the relay and its channel stay healthy.
        var health = given().get("/q/health/live").then().extract();
        assertThat(health.statusCode()).as(health.asString()).isEqualTo(200);
    }

    @Test
    void anEventOverOneMebibyteIsRefusedWhereItIsMadeAndNothingIsWritten() throws Exception {
        String catalog = "too-large-" + System.nanoTime();
        EventEnvelope<CatalogWatchFailed> huge = EventEnvelope.first(EventSources.WATCHER, catalog,
                new CatalogWatchFailed(catalog, new UpstreamSource.IndexImage("example.com/index:v1"),
                        "x".repeat(EventSizeLimit.MAX_PAYLOAD_BYTES), 1, Instant.now()), Clock.systemUTC());

        assertThatThrownBy(() -> ReactiveWork.await(() -> Panache.withTransaction(() -> outbox.add(huge))))
                .isInstanceOf(EventSizeLimit.EventTooLargeException.class)
                .hasMessageContaining("more than the limit of 1048576 bytes");
        try (Connection c = OutboxTestStack.database.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM outbox_event WHERE subject = ?")) {
            s.setString(1, catalog);
            try (var r = s.executeQuery()) {
                r.next();
                assertThat(r.getInt(1)).isZero();
            }
        }
    }

    private static void insert(String id, String topic, String payload) throws Exception {
        try (Connection c = OutboxTestStack.database.connect(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO outbox_event (id, topic, event_key, type, source, subject, time, correlation_id, "
                        + "payload, chain_hash) VALUES (?, ?, 'test-catalog', 'dev.catalogautopilot.test.v1', "
                        + "'/outbox-it', 'test-catalog', ?, 'run-1', ?, 'sha256:0')")) {
            s.setString(1, id);
            s.setString(2, topic);
            s.setTimestamp(3, Timestamp.from(Instant.now()));
            s.setString(4, payload);
            s.executeUpdate();
        }
    }
}
