package dev.catalogautopilot.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catalogautopilot.events.rollout.RolloutAction;
import dev.catalogautopilot.events.rollout.RolloutActionRecorded;
import dev.catalogautopilot.events.rollout.RolloutCompleted;
import dev.catalogautopilot.events.rollout.RolloutStarted;
import dev.catalogautopilot.events.rollout.RolloutSuperseded;
import dev.catalogautopilot.events.rollout.WaveCompleted;
import dev.catalogautopilot.events.rollout.WaveStarted;
import dev.catalogautopilot.testing.cluster.SimulatedCluster;
import dev.catalogautopilot.testing.cluster.SimulatedFleet;
import dev.catalogautopilot.testing.kafka.ReceivedEvent;
import dev.catalogautopilot.testing.postgres.TestDatabase;
import dev.catalogautopilot.testing.process.ServiceProcess;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A wave that requires approval, operators pausing, approving and resuming a rollout over REST, and a newer
 * catalog-mirrored event superseding a rollout still in flight; three simulated clusters, canary then a gated wave.
 * One cluster's kubeconfig comes from a Secret in the service's own cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManualGateIT {

    private static final String NS = SimulatedCluster.MARKETPLACE;
    private static final Duration WITHIN = Duration.ofSeconds(40);
    private static final String PASSWORD = "gate-keeper-password";

    private final String suffix = Long.toString(System.nanoTime() % 1_000_000);
    private RolloutFixture fixture;
    private SimulatedFleet fleet;
    private SimulatedCluster management;
    private ServiceProcess service;

    @BeforeAll
    void start() {
        fixture = new RolloutFixture();
        fleet = SimulatedFleet.start(3, i -> SimulatedCluster.builder("gate-" + i)
                .label("ring", i == 0 ? "canary" : "main").readyDelay(Duration.ofMillis(100)));
        // gate-2's kubeconfig is a Secret in the cluster the service runs in (here: a simulated one).
        management = SimulatedCluster.builder("management").start();
        Map<String, String> clusters = new HashMap<>(fleet.rolloutProperties());
        clusters.remove("rollout.clusters.gate-2.kubeconfig");
        clusters.put("rollout.clusters.gate-2.kubeconfig-secret", "fleet/gate-2");
        management.client().secrets().inNamespace("fleet").resource(new SecretBuilder()
                .withNewMetadata().withName("gate-2").withNamespace("fleet").endMetadata()
                .addToData("kubeconfig", Base64.getEncoder().encodeToString(
                        read(fleet.cluster("gate-2").kubeconfig()).getBytes(StandardCharsets.UTF_8)))
                .build()).create();
        service = ServiceProcess.builder("rollout-service")
                .properties(TestDatabase.create("rollout_gate").quarkusConfig())
                .properties(fixture.serviceProperties())
                .properties(clusters)
                .property("rollout.home-kubeconfig", management.kubeconfig().toString())
                .properties(RolloutFixture.user("alice", PASSWORD, "pause,resume"))
                .properties(RolloutFixture.user("bob", PASSWORD, "approve"))
                .properties(RolloutFixture.canaryThenMainWaves())
                .properties(RolloutFixture.catalogs("superseded-" + suffix, "late-" + suffix))
                .properties(Map.of(
                        "rollout.waves[1].requires-approval", "true",
                        "rollout.catalogs.gated-" + suffix + ".catalog-source", "gated-catalog",
                        "rollout.catalogs.gated-" + suffix + ".namespace", "olm-catalogs",
                        "rollout.catalogs.gated-" + suffix + ".display-name", "Gated operators",
                        "rollout.catalogs.gated-" + suffix + ".publisher", "Platform team"))
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
        if (management != null) {
            management.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void gatedWaveWaitsForApprovalPauseHoldsItAndEveryActionIsRecordedOnce() {
        String catalog = "gated-" + suffix;
        String image = fixture.pushCatalogImage("olm/" + catalog, "v1");
        fixture.publish(fixture.mirrored(catalog, image));
        String rolloutId = fixture.await(catalog, WaveCompleted.class, w -> w.wave() == 0, 1, WITHIN).get(0)
                .data(WaveCompleted.class).rolloutId();
        String url = service.baseUrl() + "/rollouts/" + rolloutId;
        awaitRollout(url, r -> r.path("waves").path(1).path("status").asText().equals("AWAITING_APPROVAL"));

        assertThat(fleet.cluster("gate-0").catalogSource("olm-catalogs", "gated-catalog")).hasValueSatisfying(cs ->
                assertThat(cs.getAdditionalProperties().get("spec")).asString()
                        .contains("displayName=Gated operators").contains("publisher=Platform team")
                        .contains(image));
        assertThat(fleet.cluster("gate-1").catalogSource("olm-catalogs", "gated-catalog")).isEmpty();

        assertThat(fixture.post(url + "/approve", "{}").statusCode()).as("no credentials").isEqualTo(401);
        assertThat(fixture.post(url + "/approve", "{}", "alice", PASSWORD).statusCode()).as("no approve role")
                .isEqualTo(403);
        assertThat(fixture.post(url + "/pause", "{}", "alice", PASSWORD).statusCode()).isEqualTo(202);
        assertThat(fixture.post(url + "/pause", "{}", "alice", PASSWORD).statusCode()).isEqualTo(409);
        HttpResponse<String> approved = fixture.post(url + "/approve", "{\"requestId\":\"r-1\"}", "bob", PASSWORD);
        assertThat(approved.statusCode()).isEqualTo(202);
        String approval = RolloutFixture.read(approved.body()).path("eventId").asText();
        HttpResponse<String> repeated = fixture.post(url + "/approve", "{\"requestId\":\"r-1\"}", "bob", PASSWORD);
        assertThat(repeated.statusCode()).isEqualTo(200);
        assertThat(RolloutFixture.read(repeated.body()).path("eventId").asText()).isEqualTo(approval);

        // Approved but paused: the wave still does not start.
        RolloutFixture.sleep(2000);
        JsonNode paused = fixture.get(url);
        assertThat(paused.path("paused").asBoolean()).isTrue();
        assertThat(paused.path("waves").path(1).path("approved").asBoolean()).isTrue();
        assertThat(paused.path("waves").path(1).path("status").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(fixture.eventsOf(rolloutId, WaveStarted.class)).extracting(WaveStarted::wave).containsExactly(0);

        assertThat(fixture.post(url + "/resume", "", "alice", PASSWORD).statusCode()).isEqualTo(202);
        fixture.await(catalog, RolloutCompleted.class, c -> c.rolloutId().equals(rolloutId), 1, WITHIN);
        for (SimulatedCluster cluster : fleet.clusters()) {
            assertThat(cluster.catalogSourceImage("olm-catalogs", "gated-catalog")).as(cluster.name()).contains(image);
        }
        ReceivedEvent mainWave = fixture.events.matching(e -> e.envelope().data() instanceof WaveStarted w
                && w.rolloutId().equals(rolloutId) && w.wave() == 1).get(0);
        assertThat(mainWave.envelope().causationId()).as("the approval set the wave off").isEqualTo(approval);

        assertThat(fixture.eventsOf(rolloutId, RolloutActionRecorded.class))
                .extracting(RolloutActionRecorded::action, RolloutActionRecorded::actor, RolloutActionRecorded::wave)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(RolloutAction.PAUSE, "alice", null),
                        org.assertj.core.groups.Tuple.tuple(RolloutAction.APPROVE, "bob", 1),
                        org.assertj.core.groups.Tuple.tuple(RolloutAction.RESUME, "alice", null));
        assertThat(fixture.post(url + "/resume", "{}", "alice", PASSWORD).statusCode())
                .as("completed rollouts take no action").isEqualTo(409);
        assertThat(fixture.post(service.baseUrl() + "/rollouts/no-such-rollout/approve", "{}", "bob", PASSWORD)
                .statusCode()).isEqualTo(404);
    }

    @Test
    void newerEventSupersedesARolloutInFlightWhichThenDoesNothingMore() {
        String catalog = "superseded-" + suffix;
        String first = fixture.pushCatalogImage("olm/" + catalog, "v1");
        String second = fixture.pushCatalogImage("olm/" + catalog, "v2");
        fixture.publish(fixture.mirrored(catalog, first));
        String older = fixture.await(catalog, WaveCompleted.class, w -> w.wave() == 0, 1, WITHIN).get(0)
                .data(WaveCompleted.class).rolloutId();
        awaitRollout(service.baseUrl() + "/rollouts/" + older,
                r -> r.path("waves").path(1).path("status").asText().equals("AWAITING_APPROVAL"));

        fixture.publish(fixture.mirrored(catalog, second));
        var supersededEvent = fixture.await(catalog, RolloutSuperseded.class, s -> true, 1, WITHIN).get(0);
        RolloutSuperseded superseded = supersededEvent.data(RolloutSuperseded.class);
        assertThat(superseded.rolloutId()).isEqualTo(older);
        assertThat(supersededEvent.envelope().correlationId()).as("the superseded run's outcome, in its run")
                .isEqualTo(fixture.await(catalog, RolloutStarted.class, r -> r.rolloutId().equals(older), 1, WITHIN)
                        .get(0).envelope().correlationId());
        RolloutStarted newer = fixture.eventsOf(superseded.supersededBy(), RolloutStarted.class).get(0);
        assertThat(newer.supersedes()).isEqualTo(older);
        assertThat(newer.image()).isEqualTo(second);

        JsonNode old = fixture.get(service.baseUrl() + "/rollouts/" + older);
        assertThat(old.path("status").asText()).isEqualTo("SUPERSEDED");
        assertThat(old.path("supersededBy").asText()).isEqualTo(newer.rolloutId());
        assertThat(old.path("waves").path(1).path("status").asText()).isEqualTo("CANCELLED");
        assertThat(old.path("progress").path("cancelled").asInt()).isEqualTo(2);
        assertThat(fixture.post(service.baseUrl() + "/rollouts/" + older + "/approve", "{}", "bob", PASSWORD)
                .statusCode()).isEqualTo(409);

        String newerUrl = service.baseUrl() + "/rollouts/" + newer.rolloutId();
        awaitRollout(newerUrl, r -> r.path("waves").path(1).path("status").asText().equals("AWAITING_APPROVAL"));
        assertThat(fixture.post(newerUrl + "/approve", "{\"wave\":1}", "bob", PASSWORD).statusCode()).isEqualTo(202);
        fixture.await(catalog, RolloutCompleted.class, c -> c.rolloutId().equals(newer.rolloutId()), 1, WITHIN);
        assertThat(fixture.eventsOf(older, WaveStarted.class)).extracting(WaveStarted::wave).containsExactly(0);
        assertThat(fleet.clusters()).allSatisfy(c -> assertThat(c.catalogSourceImage(NS, catalog)).contains(second));
        assertThat(fleet.cluster("gate-1").requests().catalogSourceWrites(NS, catalog))
                .as("only the newer rollout touched the gated wave").isEqualTo(1);
    }

    @Test
    void aPlanOfAnOlderBuildThatFinishesLateIsNotRolledOutOverANewerOne() {
        String catalog = "late-" + suffix;
        String older = fixture.pushCatalogImage("olm/" + catalog, "v1");
        String newer = fixture.pushCatalogImage("olm/" + catalog, "v2");
        java.time.Instant builtNewer = java.time.Instant.now();
        fixture.publish(fixture.mirrored(catalog, newer, builtNewer));
        String rollout = fixture.await(catalog, WaveCompleted.class, w -> w.wave() == 0, 1, WITHIN).get(0)
                .data(WaveCompleted.class).rolloutId();

        var late = fixture.mirrored(catalog, older, builtNewer.minusSeconds(60));
        fixture.publish(late);
        var outcome = fixture.await(catalog, RolloutSuperseded.class, s -> true, 1, WITHIN).get(0);
        assertThat(outcome.envelope().correlationId()).as("the late run ends visibly").isEqualTo(late.correlationId());
        assertThat(outcome.data(RolloutSuperseded.class).supersededBy()).isEqualTo(rollout);
        assertThat(fixture.await(catalog, RolloutStarted.class, r -> true, 1, WITHIN))
                .as("no rollout of the older build").extracting(e -> e.data(RolloutStarted.class).image())
                .containsExactly(newer);
        assertThat(fleet.cluster("gate-0").catalogSourceImage(NS, catalog)).contains(newer);
        JsonNode current = fixture.get(service.baseUrl() + "/rollouts/" + rollout);
        assertThat(current.path("status").asText()).as("the newer rollout goes on").isEqualTo("RUNNING");
    }

    private static String read(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private JsonNode awaitRollout(String url, Predicate<JsonNode> condition) {
        Instant deadline = Instant.now().plus(WITHIN);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = fixture.get(url);
            if (condition.test(last)) {
                return last;
            }
            RolloutFixture.sleep(100);
        }
        throw new AssertionError("rollout never reached the expected state; last: " + last);
    }
}
