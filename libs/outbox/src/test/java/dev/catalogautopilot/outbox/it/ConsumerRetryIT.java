package dev.catalogautopilot.outbox.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A listener whose database is unreachable for a few seconds keeps its record and processes it once the database is
 * back, once; an undecodable record goes to the dead-letter topic and shows on the status endpoint and the metrics.
 */
@QuarkusTest
@QuarkusTestResource(value = OutboxTestStack.class, restrictToAnnotatedClass = false)
class ConsumerRetryIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    @Test
    void aRecordWhoseDatabaseIsDownIsRetriedNotDeadLetteredAndProcessedOnceItIsBack() throws Exception {
        String topic = OutboxTestStack.probeTopic;
        RawTopic.send(OutboxTestStack.bootstrap, topic, "probe:before", "e-before");
        await().atMost(WITHIN).until(() -> rows("before") == 1);

        OutboxTestStack.databaseProxy.cut();
        try {
            RawTopic.send(OutboxTestStack.bootstrap, topic, "probe:during", "e-during");
            await().atMost(WITHIN).untilAsserted(() -> {
                Map<String, Object> status = consumer(topic);
                assertThat(status.get("inFlight")).isEqualTo(topic + "-0@1");
                assertThat((Integer) status.get("attempts")).isGreaterThanOrEqualTo(3);
            });
            // Past consumer-retry.stuck-after (2 s) the consumer reports itself stuck, with the cause.
            await().atMost(WITHIN).untilAsserted(() -> {
                JsonPath health = given().get("/q/health/live").then().extract().jsonPath();
                assertThat(health.getString("checks.find { it.name == 'kafka-consumers' }.status")).isEqualTo("DOWN");
                assertThat(health.getString("checks.find { it.name == 'kafka-consumers' }.data.'" + topic + "'"))
                        .contains("stuck: " + topic + "-0@1");
            });
            assertThat(RawTopic.read(OutboxTestStack.bootstrap, topic + ".dlq", 0, Duration.ZERO)).isEmpty();
        } finally {
            OutboxTestStack.databaseProxy.restore();
        }

        await().atMost(WITHIN).until(() -> rows("during") == 1);
        await().atMost(WITHIN).untilAsserted(() -> assertThat(consumer(topic).get("inFlight")).isNull());
        Map<String, Object> status = consumer(topic);
        assertThat(status.get("deadLettered")).isEqualTo(0);
        assertThat((Integer) status.get("retries")).isGreaterThanOrEqualTo(3);
        assertThat(given().get("/q/health/live").then().extract().jsonPath()
                .getString("checks.find { it.name == 'kafka-consumers' }.status")).isEqualTo("UP");
        assertThat(RawTopic.read(OutboxTestStack.bootstrap, topic + ".dlq", 0, Duration.ZERO)).isEmpty();

        // Only a record that is not valid is dead-lettered, and that is visible.
        RawTopic.send(OutboxTestStack.bootstrap, topic, "garbage", "e-garbage");
        assertThat(RawTopic.read(OutboxTestStack.bootstrap, topic + ".dlq", 1, WITHIN))
                .singleElement().satisfies(r -> assertThat(new String(r.value())).isEqualTo("garbage"));
        await().atMost(WITHIN).untilAsserted(() -> {
            Map<String, Object> afterGarbage = consumer(topic);
            assertThat(afterGarbage.get("deadLettered")).isEqualTo(1);
            assertThat((String) afterGarbage.get("lastDeadLetterReason")).contains("not a probe: garbage");
            assertThat(afterGarbage.get("deadLetterTopic")).isEqualTo(topic + ".dlq");
        });
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("consumer_dead_lettered_total{dlq=\"" + topic + ".dlq\",topic=\"" + topic + "\"} 1.0");
        assertThat(rows("before") + rows("during")).isEqualTo(2);
    }

    private static Map<String, Object> consumer(String topic) {
        return given().get("/consumers").then().statusCode(200).extract().jsonPath()
                .getMap("find { it.topic == '" + topic + "' }");
    }

    private static int rows(String id) throws Exception {
        try (Connection c = OutboxTestStack.database.connect();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM probe_row WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }
}
