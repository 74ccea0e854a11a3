package dev.catalogautopilot.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catalogautopilot.audit.AuditCommand;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.rollout.ClusterUpdated;
import dev.catalogautopilot.events.rollout.RolloutAction;
import dev.catalogautopilot.events.rollout.RolloutActionRecorded;
import dev.catalogautopilot.events.rollout.RolloutCompleted;
import dev.catalogautopilot.events.rollout.RolloutEvent;
import dev.catalogautopilot.events.rollout.RolloutStarted;
import dev.catalogautopilot.testing.cluster.SimulatedCluster;
import dev.catalogautopilot.testing.cluster.SimulatedFleet;
import dev.catalogautopilot.testing.kafka.ReceivedEvent;
import dev.catalogautopilot.testing.kafka.SharedKafka;
import dev.catalogautopilot.testing.postgres.TestDatabase;
import dev.catalogautopilot.testing.process.ServiceProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 6 §3 against the packaged service and three simulated clusters (canary, then two): a catalog re-driven
 * back to its first build through the audit tool, then the fleet state rebuilt from {@code rollout.events} into a
 * fresh schema and compared with the live matrix, once as published and once from an altered copy of the log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditReplayIT {

    private static final String NS = SimulatedCluster.MARKETPLACE;
    private static final Duration WITHIN = Duration.ofSeconds(40);
    private static final String PASSWORD = "re-driver-password";

    private final String suffix = Long.toString(System.nanoTime() % 1_000_000);
    private final String catalog = "replay-" + suffix;
    private RolloutFixture fixture;
    private SimulatedFleet fleet;
    private TestDatabase db;
    private ServiceProcess service;

    private String imageA;
    private String imageB;
    private EventEnvelope<CatalogMirrored> eventA;
    private String redriven;

    @BeforeAll
    void start() {
        fixture = new RolloutFixture();
        fleet = SimulatedFleet.start(3, i -> SimulatedCluster.builder("replay-" + i)
                .label("ring", i == 0 ? "canary" : "main").readyDelay(Duration.ofMillis(100)));
        db = TestDatabase.create("rollout_replay");
        service = ServiceProcess.builder("rollout-service")
                .properties(db.quarkusConfig())
                .properties(fixture.serviceProperties())
                .properties(fleet.rolloutProperties())
                .properties(RolloutFixture.canaryThenMainWaves())
                .properties(RolloutFixture.catalogs(catalog, "other-" + suffix))
                .properties(RolloutFixture.user("carol", PASSWORD, "redrive"))
                .properties(RolloutFixture.user("dave", PASSWORD, "approve,pause,resume"))
                .start();
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
            assertThat(service.logs()).as("passwords never reach the logs").doesNotContain(PASSWORD);
        }
        if (fleet != null) {
            fleet.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    @Order(1)
    void reDriveRollsEveryClusterBackToTheEarlierBuildAsANewRunCausedByItsEvent() {
        imageA = fixture.pushCatalogImage("olm/" + catalog, "a");
        imageB = fixture.pushCatalogImage("olm/" + catalog, "b");
        eventA = fixture.mirrored(catalog, imageA);
        fixture.publish(eventA);
        completed(1);
        EventEnvelope<CatalogMirrored> eventB = fixture.mirrored(catalog, imageB);
        fixture.publish(eventB);
        completed(2);
        assertThat(fleet.clusters()).allSatisfy(c -> assertThat(c.catalogSourceImage(NS, catalog)).contains(imageB));

        String url = service.baseUrl() + "/rollouts/redrive";
        String body = "{\"catalog\":\"" + catalog + "\",\"eventId\":\"" + eventA.id() + "\"}";
        assertThat(fixture.post(url, body).statusCode()).as("no credentials").isEqualTo(401);
        assertThat(fixture.post(url, body, "dave", PASSWORD).statusCode()).as("no redrive role").isEqualTo(403);
        HttpResponse<String> unknown = fixture.post(url, "{\"catalog\":\"" + catalog + "\",\"eventId\":\"nope\"}",
                "carol", PASSWORD);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no catalog-mirrored event nope");
        HttpResponse<String> otherCatalog = fixture.post(url, "{\"catalog\":\"other-" + suffix + "\",\"eventId\":\""
                + eventA.id() + "\"}", "carol", PASSWORD);
        assertThat(otherCatalog.statusCode()).isEqualTo(409);
        assertThat(otherCatalog.body()).contains("is of catalog " + catalog + ", not other-" + suffix);
        assertThat(fixture.post(url, "{\"catalog\":\"" + catalog + "\"}", "carol", PASSWORD).statusCode())
                .isEqualTo(400);

        Output out = audit(Map.of(AuditCommand.USER_ENV, "carol", AuditCommand.PASSWORD_ENV, PASSWORD),
                "redrive", "--rollout-url", service.baseUrl(), "--catalog", catalog, "--event", eventA.id(),
                "--reason", "b breaks installs", "--request-id", "redrive-" + suffix);
        assertThat(out.code).as(out.text).isZero();
        assertThat(out.text).doesNotContain(PASSWORD);
        Matcher rollout = Pattern.compile("re-drive recorded: rollout (\\S+)").matcher(out.text);
        assertThat(rollout.find()).as(out.text).isTrue();
        redriven = rollout.group(1);
        HttpResponse<String> repeated = fixture.post(url, "{\"catalog\":\"" + catalog + "\",\"eventId\":\""
                + eventA.id() + "\",\"requestId\":\"redrive-" + suffix + "\"}", "carol", PASSWORD);
        assertThat(repeated.statusCode()).as("the same request id re-drives once").isEqualTo(200);
        assertThat(RolloutFixture.read(repeated.body()).path("rolloutId").asText()).isEqualTo(redriven);

        assertThat(completed(3).rolloutId()).isEqualTo(redriven);
        assertThat(fleet.clusters()).allSatisfy(c -> assertThat(c.catalogSourceImage(NS, catalog)).contains(imageA));

        RolloutStarted started = fixture.eventsOf(redriven, RolloutStarted.class).get(0);
        assertThat(started.image()).isEqualTo(imageA);
        List<ReceivedEvent> run = fixture.events.matching(e -> e.envelope().data() instanceof RolloutEvent r
                && r.rolloutId().equals(redriven));
        String correlation = run.get(0).envelope().correlationId();
        assertThat(correlation).isNotIn(eventA.correlationId(), eventB.correlationId());
        assertThat(run.stream().map(e -> e.envelope().id()).distinct())
                .as("REDRIVE, started, 2 waves started and completed, 3 clusters updated, completed").hasSize(10);
        assertThat(run)
                .allSatisfy(e -> assertThat(e.envelope().correlationId()).as(e.type()).isEqualTo(correlation))
                .allSatisfy(e -> assertThat(originOf(e, run)).as("cause chain of %s", e.type()).isEqualTo(eventA.id()));
        ReceivedEvent action = run.stream().filter(e -> e.envelope().data() instanceof RolloutActionRecorded)
                .findFirst().orElseThrow();
        assertThat(action.data(RolloutActionRecorded.class)).isEqualTo(new RolloutActionRecorded(catalog, redriven,
                RolloutAction.REDRIVE, "carol", null, "b breaks installs"));
        assertThat(action.envelope().causationId()).isEqualTo(eventA.id());
        assertThat(action.envelope().id()).as("the re-drive opens its run").isEqualTo(correlation);

        assertThat(cells()).hasSize(3).allSatisfy(cell -> {
            assertThat(cell.path("image").asText()).isEqualTo(imageA);
            assertThat(cell.path("state").asText()).isEqualTo("CURRENT");
            assertThat(cell.path("causedBy").asText()).isEqualTo(eventA.id());
            assertThat(cell.path("rolloutId").asText()).isEqualTo(redriven);
        });
        JsonNode view = fixture.get(service.baseUrl() + "/rollouts/" + redriven);
        assertThat(view.path("causedBy").asText()).isEqualTo(eventA.id());
        assertThat(view.path("status").asText()).isEqualTo("COMPLETED");
    }

    @Test
    @Order(2)
    void fleetStateRebuiltFromTheEventsEqualsTheLiveOneAndAnAlteredLogIsReported() throws Exception {
        Output equal = rebuild("fleet_rebuilt_" + suffix, null);
        assertThat(equal.code).as(equal.text).isZero();
        assertThat(equal.text).contains("rebuilt 3 cells of 3 clusters").contains("equal: 3 cells match");
        try (Connection connection = db.connect(); Statement select = connection.createStatement();
                ResultSet rows = select.executeQuery("SELECT cluster, image, cause_event_id FROM fleet_rebuilt_"
                        + suffix + ".fleet_state ORDER BY cluster")) {
            List<String> rebuilt = new ArrayList<>();
            while (rows.next()) {
                assertThat(rows.getString(2)).isEqualTo(imageA);
                assertThat(rows.getString(3)).isEqualTo(eventA.id());
                rebuilt.add(rows.getString(1));
            }
            assertThat(rebuilt).containsExactly("replay-0", "replay-1", "replay-2");
        }
        Output again = rebuild("fleet_rebuilt_" + suffix, null);
        assertThat(again.code).as("a rebuild never reuses a schema").isEqualTo(1);
        assertThat(again.text).contains("already exists");

        // A copy of the catalog's log without the re-drive's update of replay-2: the rebuild still puts it on b.
        String copy = "replay-copy-" + suffix + ".rollout.events";
        ReceivedEvent dropped = fixture.events.matching(e -> e.envelope().data() instanceof ClusterUpdated u
                && u.rolloutId().equals(redriven) && u.cluster().equals("replay-2")).get(0);
        for (ReceivedEvent e : fixture.events.about(catalog)) {
            if (!e.envelope().id().equals(dropped.envelope().id())) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(copy, e.key(), e.value());
                e.headers().forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
                fixture.publish(record);
            }
        }
        Output different = rebuild("fleet_altered_" + suffix, copy);
        assertThat(different.code).as(different.text).isEqualTo(4);
        String prefix = "DIFFERENT cluster=replay-2 catalog=" + catalog + " ";
        assertThat(different.text)
                .contains(prefix + "image: projected=" + imageB + " live=" + imageA)
                .contains(prefix + "digest: projected=" + imageB.substring(imageB.indexOf('@') + 1))
                .contains(prefix + "causedBy: projected=")
                .contains(prefix + "rolloutId: projected=")
                .contains("live=" + redriven)
                .doesNotContain("cluster=replay-0").doesNotContain("cluster=replay-1")
                .contains("differences between the rebuilt and the live fleet state");
    }

    // ---------------------------------------------------------------- helpers

    private RolloutCompleted completed(int count) {
        return fixture.await(catalog, RolloutCompleted.class, c -> true, count, WITHIN).get(count - 1)
                .data(RolloutCompleted.class);
    }

    /** Follows causation ids through the run's events to the first cause outside the run. */
    private static String originOf(ReceivedEvent event, List<ReceivedEvent> run) {
        Map<String, EventEnvelope<?>> byId = run.stream().collect(Collectors.toMap(e -> e.envelope().id(),
                ReceivedEvent::envelope, (a, b) -> a));
        Set<String> visited = new java.util.HashSet<>();
        EventEnvelope<?> current = event.envelope();
        while (byId.containsKey(current.causationId()) && visited.add(current.id())) {
            current = byId.get(current.causationId());
        }
        return current.causationId();
    }

    private List<JsonNode> cells() {
        List<JsonNode> cells = new ArrayList<>();
        fixture.get(service.baseUrl() + "/fleet").path("clusters")
                .forEach(row -> cells.add(row.path("catalogs").path(catalog)));
        return cells;
    }

    private Output rebuild(String schema, String topic) {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", SharedKafka.bootstrapServers()));
        if (topic != null) {
            args.addAll(List.of("--topics", topic));
        }
        args.addAll(List.of("rebuild-fleet", "--jdbc-url", db.jdbcUrl(), "--schema", schema, "--compare-with",
                service.baseUrl(), "--catalog", catalog));
        return audit(Map.of(AuditCommand.PG_USER_ENV, db.user(), AuditCommand.PG_PASSWORD_ENV, db.password()),
                args.toArray(String[]::new));
    }

    private static Output audit(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AuditCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new Output(code, out + err.toString());
    }

    private record Output(int code, String text) {
    }
}
