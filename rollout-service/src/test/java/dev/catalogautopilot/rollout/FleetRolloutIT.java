package dev.catalogautopilot.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catalogautopilot.audit.AuditCommand;
import dev.catalogautopilot.audit.dlq.DeadLetter;
import dev.catalogautopilot.audit.dlq.DeadLetterTopic;
import dev.catalogautopilot.events.Topics;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.rollout.ClusterFailed;
import dev.catalogautopilot.events.rollout.ClusterRolledBack;
import dev.catalogautopilot.events.rollout.ClusterUpdated;
import dev.catalogautopilot.events.rollout.MirrorSetOutcome;
import dev.catalogautopilot.events.rollout.RolloutCompleted;
import dev.catalogautopilot.events.rollout.RolloutHalted;
import dev.catalogautopilot.events.rollout.RolloutStarted;
import dev.catalogautopilot.events.rollout.WaveCompleted;
import dev.catalogautopilot.events.rollout.WaveStarted;
import dev.catalogautopilot.testing.cluster.ApiRequestLog;
import dev.catalogautopilot.testing.cluster.ApiServerMode;
import dev.catalogautopilot.testing.cluster.SimulatedCluster;
import dev.catalogautopilot.testing.cluster.SimulatedFleet;
import dev.catalogautopilot.testing.kafka.ReceivedEvent;
import dev.catalogautopilot.testing.kafka.SharedKafka;
import dev.catalogautopilot.testing.postgres.TestDatabase;
import dev.catalogautopilot.testing.process.ServiceProcess;
import dev.catalogautopilot.testing.registry.LocalRegistry;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged rollout-service as its own process against the real broker, PostgreSQL, a mirror registry and ten
 * simulated clusters in three waves (canary 1, then 3 two at a time, then 6 three at a time). Each test rolls out
 * its own catalog; they run in order, as a story.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetRolloutIT {

    private static final String NS = SimulatedCluster.MARKETPLACE;
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final Map<Integer, Integer> MAX_PARALLEL = Map.of(0, 1, 1, 2, 2, 3);

    private final String suffix = Long.toString(System.nanoTime() % 1_000_000);
    private RolloutFixture fixture;
    private LocalRegistry empty;
    private SimulatedFleet fleet;
    private TestDatabase db;
    private ServiceProcess service;

    @BeforeAll
    void start() {
        fixture = new RolloutFixture();
        empty = LocalRegistry.start();
        // Even clusters serve ImageDigestMirrorSets (4.13+), odd ones only ICSPs: both kinds are detected.
        fleet = SimulatedFleet.start(10, i -> SimulatedCluster.builder(name(i))
                .label("ring", i == 0 ? "canary" : i <= 3 ? "early" : "late")
                .imageDigestMirrorSets(i % 2 == 0)
                .readyDelay(Duration.ofMillis(300)));
        db = TestDatabase.create("rollout");
        service = ServiceProcess.builder("rollout-service")
                .properties(db.quarkusConfig())
                .properties(fixture.serviceProperties())
                .properties(fleet.rolloutProperties())
                .properties(wave(0, "canary", "ring=canary", 1))
                .properties(wave(1, "early", "ring=early", 2))
                .properties(wave(2, "late", "ring in (late)", 3))
                .properties(RolloutFixture.catalogs("alpha-" + suffix, "beta-" + suffix, "gamma-" + suffix,
                        "delta-" + suffix, "epsilon-" + suffix, "foreign-" + suffix, "zeta-" + suffix))
                .build();
        service.start();
    }

    @Test
    @Order(8)
    void aCatalogImageOutsideTheMirrorDestinationOrOfAnUnconfiguredCatalogIsRefusedAndChangesNoCluster() {
        String foreign = "foreign-" + suffix;
        String unlisted = "unlisted-" + suffix;
        Map<String, Long> writesBefore = clusterWrites();
        EventEnvelope<CatalogMirrored> outside = fixture.mirrored(foreign,
                fixture.pushCatalogImage("elsewhere/" + foreign, "v1"));
        EventEnvelope<CatalogMirrored> unconfigured = fixture.mirrored(unlisted,
                fixture.pushCatalogImage("olm/" + unlisted, "v1"));
        fixture.awaitConsumed(fixture.publish(outside), WITHIN);
        fixture.awaitConsumed(fixture.publish(unconfigured), WITHIN);

        Map<String, String> reasons = new DeadLetterTopic(SharedKafka.bootstrapServers(),
                Topics.deadLetter(Topics.CATALOG_MIRRORED)).read().stream()
                .filter(l -> l.eventId().filter(id -> id.equals(outside.id()) || id.equals(unconfigured.id()))
                        .isPresent())
                .collect(Collectors.toMap(l -> l.eventId().orElseThrow(), DeadLetter::reason));
        assertThat(reasons.get(outside.id())).contains("refused").contains(outside.data().catalogImage())
                .contains("outside the mirror destination " + fixture.mirror.host() + "/olm");
        assertThat(reasons.get(unconfigured.id())).contains("refused")
                .contains("catalog " + unlisted + " is not configured");
        assertThat(clusterWrites()).as("no cluster was written to").isEqualTo(writesBefore);
        for (SimulatedCluster cluster : fleet.clusters()) {
            assertThat(cluster.catalogSourceImage(NS, foreign)).as(cluster.name()).isEmpty();
            assertThat(cluster.catalogSourceImage(NS, unlisted)).as(cluster.name()).isEmpty();
        }
        assertThat(fixture.events.about(foreign)).isEmpty();
        assertThat(fixture.events.about(unlisted)).isEmpty();
        assertThat(list(fixture.get(service.baseUrl() + "/rollouts?catalog=" + foreign))).isEmpty();
    }

    @Test
    @Order(9)
    void aPreExistingAddressBasedCatalogSourceSurvivesAFailedRolloutUntouched() {
        String catalog = "zeta-" + suffix;
        SimulatedCluster canary = fleet.cluster(name(0));
        Map<String, Object> spec = Map.of("sourceType", "grpc", "address", "catalog.example.svc:50051",
                "displayName", "Someone else's catalog", "publisher", "platform team");
        canary.client().genericKubernetesResources("operators.coreos.com/v1alpha1", "CatalogSource").inNamespace(NS)
                .resource(new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                        .withApiVersion("operators.coreos.com/v1alpha1").withKind("CatalogSource")
                        .withNewMetadata().withName(catalog).withNamespace(NS).endMetadata()
                        .addToAdditionalProperties("spec", spec).build())
                .create();
        String next = fixture.pushCatalogImage("olm/" + catalog, "v1");
        canary.addImageContentSourcePolicy("broken-" + catalog, fixture.mirror.host() + "/olm/" + catalog,
                empty.host() + "/olm/" + catalog);

        fixture.publish(fixture.mirrored(catalog, next));
        RolloutHalted halted = fixture.await(catalog, RolloutHalted.class, h -> true, 1, WITHIN).get(0)
                .data(RolloutHalted.class);
        assertThat(fixture.eventsOf(halted.rolloutId(), ClusterFailed.class)).singleElement().satisfies(f -> {
            assertThat(f.cluster()).isEqualTo(canary.name());
            assertThat(f.reason()).contains("not READY").contains("did not create");
        });
        assertThat(fixture.eventsOf(halted.rolloutId(), ClusterRolledBack.class)).isEmpty();
        GenericKubernetesResource after = canary.catalogSource(NS, catalog)
                .orElseThrow(() -> new AssertionError("the pre-existing CatalogSource was deleted"));
        assertThat(after.getAdditionalProperties().get("spec")).as("its spec as it was").isEqualTo(spec);
        for (SimulatedCluster other : fleet.clusters().subList(1, fleet.clusters().size())) {
            assertThat(other.catalogSource(NS, catalog)).as(other.name()).isEmpty();
        }
    }

    private Map<String, Long> clusterWrites() {
        return fleet.clusters().stream().collect(Collectors.toMap(SimulatedCluster::name,
                c -> c.requests().count(ApiRequestLog.Request::isWrite)));
    }

    private static Map<String, String> wave(int index, String name, String selector, int maxParallel) {
        String prefix = "rollout.waves[" + index + "].";
        return Map.of(prefix + "name", name, prefix + "selector", selector,
                prefix + "max-parallel", String.valueOf(maxParallel), prefix + "verification-deadline", "8s");
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
            assertThat(service.logs()).as("no kubeconfig token reaches the logs")
                    .doesNotContain(tokenOf(fleet.clusters().get(0)));
        }
        if (fleet != null) {
            fleet.close();
        }
        if (empty != null) {
            empty.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private final Map<String, String> alphaImages = new HashMap<>();
    private String alphaRollout;
    private RecordMetadata alphaRecord;
    private EventEnvelope<CatalogMirrored> alphaEvent;

    @Test
    @Order(1)
    void tenClustersInThreeWavesAllEndAtTheNewDigestWavesInOrderWithinTheirParallelism() {
        String catalog = "alpha-" + suffix;
        String old = seededOldImage(catalog);
        String v2 = fixture.pushCatalogImage("olm/" + catalog, "v2");
        alphaImages.put("v2", v2);

        alphaEvent = fixture.mirrored(catalog, v2);
        alphaRecord = fixture.publish(alphaEvent);
        RolloutCompleted completed = completed(catalog, 1);
        alphaRollout = completed.rolloutId();
        assertThat(completed.clusters()).isEqualTo(10);
        assertThat(completed.image()).isEqualTo(v2);
        assertThat(completed.digest()).isEqualTo(v2.substring(v2.indexOf('@') + 1));

        for (SimulatedCluster cluster : fleet.clusters()) {
            assertThat(cluster.catalogSourceImage(NS, catalog)).as(cluster.name()).contains(v2);
            assertThat(cluster.requests().catalogSourcePatches(NS, catalog)).as(cluster.name()).isEqualTo(1);
            GenericKubernetesResource mirrorSet = (cluster.servesImageDigestMirrorSets()
                    ? cluster.imageDigestMirrorSet(catalog) : cluster.imageContentSourcePolicy(catalog))
                    .orElseThrow(() -> new AssertionError("no mirror set of " + catalog + " on " + cluster.name()));
            assertThat(mirrorSet.getMetadata().getName()).isEqualTo(catalog);
        }

        JsonNode rollout = fixture.get(service.baseUrl() + "/rollouts/" + alphaRollout);
        assertThat(rollout.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(rollout.path("progress").path("updated").asInt()).isEqualTo(10);
        List<JsonNode> waves = list(rollout.path("waves"));
        assertThat(waves).extracting(w -> w.path("clusters").size()).containsExactly(1, 3, 6);
        for (int i = 1; i < waves.size(); i++) {
            Instant previousEnd = clusterTimes(waves.get(i - 1), "finishedAt").stream().max(Comparator.naturalOrder())
                    .orElseThrow();
            Instant start = clusterTimes(waves.get(i), "startedAt").stream().min(Comparator.naturalOrder())
                    .orElseThrow();
            assertThat(start).as("wave %d starts after wave %d ended", i, i - 1).isAfterOrEqualTo(previousEnd);
        }
        for (JsonNode wave : waves) {
            int index = wave.path("index").asInt();
            int overlap = maxOverlap(wave);
            assertThat(overlap).as("clusters of wave %d at once", index).isLessThanOrEqualTo(MAX_PARALLEL.get(index));
        }
        assertThat(maxOverlap(waves.get(2))).as("the last wave did run clusters side by side").isGreaterThan(1);

        assertThat(fixture.eventsOf(alphaRollout, RolloutStarted.class)).hasSize(1);
        assertThat(fixture.eventsOf(alphaRollout, WaveStarted.class)).extracting(WaveStarted::wave)
                .containsExactly(0, 1, 2);
        assertThat(fixture.eventsOf(alphaRollout, WaveCompleted.class)).extracting(WaveCompleted::wave)
                .containsExactly(0, 1, 2);
        assertThat(fixture.eventsOf(alphaRollout, ClusterUpdated.class)).hasSize(10).allSatisfy(u -> {
            assertThat(u.mirrorSet()).isEqualTo(MirrorSetOutcome.APPLIED);
            assertThat(u.previousImage()).isEqualTo(old);
            assertThat(u.newImage()).isEqualTo(v2);
        });
        List<ReceivedEvent> ordered = fixture.events.about(catalog);
        for (int wave = 1; wave < 3; wave++) {
            int w = wave;
            assertThat(offsetOf(ordered, WaveStarted.class, w)).as("wave %d started after wave %d completed", w, w - 1)
                    .isGreaterThan(offsetOf(ordered, WaveCompleted.class, w - 1));
        }

        JsonNode matrix = fixture.get(service.baseUrl() + "/fleet");
        assertThat(list(matrix.path("clusters"))).hasSize(10).allSatisfy(row -> {
            JsonNode cell = row.path("catalogs").path(catalog);
            assertThat(cell.path("state").asText()).isEqualTo("CURRENT");
            assertThat(cell.path("image").asText()).isEqualTo(v2);
            assertThat(cell.path("causedBy").asText()).isEqualTo(alphaEvent.id());
            assertThat(cell.path("since").isNull()).isFalse();
        });
    }

    @Test
    @Order(2)
    void redeliveredEventPatchesNothingAndEmitsNoDuplicate() {
        String catalog = "alpha-" + suffix;
        Map<String, Long> writesBefore = catalogSourceWrites(catalog);
        RecordMetadata again = fixture.publish(alphaEvent);
        assertThat(again.offset()).isGreaterThan(alphaRecord.offset());
        fixture.awaitConsumed(again, WITHIN);
        RolloutFixture.sleep(1000);

        assertThat(catalogSourceWrites(catalog)).isEqualTo(writesBefore);
        assertThat(fleet.clusters()).allSatisfy(c -> assertThat(c.requests().catalogSourcePatches(NS, catalog))
                .as(c.name()).isEqualTo(1));
        assertThat(fixture.events.about(catalog).stream().filter(e -> e.envelope().data() instanceof RolloutStarted))
                .hasSize(1);
        assertThat(distinctIds(catalog, ClusterUpdated.class)).hasSize(10);
        assertThat(list(fixture.get(service.baseUrl() + "/rollouts?catalog=" + catalog))).hasSize(1);
    }

    @Test
    @Order(3)
    void secondRolloutWithTheSameMirrorSetAppliesNoneAndLeavesTheirResourceVersion() {
        String catalog = "alpha-" + suffix;
        Map<String, String> versions = new HashMap<>();
        Map<String, Long> mirrorSetWrites = new HashMap<>();
        for (SimulatedCluster cluster : fleet.clusters()) {
            versions.put(cluster.name(), mirrorSet(cluster, catalog).getMetadata().getResourceVersion());
            mirrorSetWrites.put(cluster.name(), cluster.requests().mirrorSetWrites());
        }
        String v3 = fixture.pushCatalogImage("olm/" + catalog, "v3");
        fixture.publish(fixture.mirrored(catalog, v3));
        RolloutCompleted second = completed(catalog, 2);
        assertThat(second.rolloutId()).isNotEqualTo(alphaRollout);

        for (SimulatedCluster cluster : fleet.clusters()) {
            assertThat(cluster.catalogSourceImage(NS, catalog)).as(cluster.name()).contains(v3);
            assertThat(cluster.requests().mirrorSetWrites()).as("mirror set writes on %s", cluster.name())
                    .isEqualTo(mirrorSetWrites.get(cluster.name()));
            assertThat(mirrorSet(cluster, catalog).getMetadata().getResourceVersion()).as(cluster.name())
                    .isEqualTo(versions.get(cluster.name()));
        }
        assertThat(fixture.eventsOf(second.rolloutId(), ClusterUpdated.class)).hasSize(10)
                .allSatisfy(u -> assertThat(u.mirrorSet()).isEqualTo(MirrorSetOutcome.UNCHANGED));
        JsonNode history = fixture.get(service.baseUrl() + "/fleet/" + name(5) + "/" + catalog + "/history");
        assertThat(list(history)).extracting(h -> h.path("image").asText())
                .containsExactly(alphaImages.get("v2"), v3);
    }

    @Test
    @Order(4)
    void clusterWhoseMirrorSetLacksTheImageIsRolledBackAndHaltsTheRolloutBeforeLaterWaves() {
        String catalog = "beta-" + suffix;
        String old = seededOldImage(catalog);
        String next = fixture.pushCatalogImage("olm/" + catalog, "v2");
        SimulatedCluster broken = fleet.cluster(name(2));
        broken.addImageContentSourcePolicy("broken-" + catalog, fixture.mirror.host() + "/olm/" + catalog,
                empty.host() + "/olm/" + catalog);

        fixture.publish(fixture.mirrored(catalog, next));
        RolloutHalted halted = fixture.await(catalog, RolloutHalted.class, h -> true, 1, WITHIN).get(0)
                .data(RolloutHalted.class);
        assertThat(halted.wave()).isEqualTo(1);
        assertThat(halted.failingClusters()).singleElement().satisfies(f -> {
            assertThat(f.cluster()).isEqualTo(broken.name());
            assertThat(f.reason()).contains("not READY").contains("TRANSIENT_FAILURE");
        });
        assertThat(fixture.eventsOf(halted.rolloutId(), ClusterFailed.class)).extracting(ClusterFailed::cluster)
                .containsExactly(broken.name());
        assertThat(fixture.eventsOf(halted.rolloutId(), ClusterRolledBack.class)).singleElement().satisfies(r -> {
            assertThat(r.cluster()).isEqualTo(broken.name());
            assertThat(r.restoredImage()).isEqualTo(old);
        });
        assertThat(broken.catalogSourceImage(NS, catalog)).contains(old);
        assertThat(fleet.cluster(name(0)).catalogSourceImage(NS, catalog)).contains(next);
        for (int i = 4; i < 10; i++) {
            SimulatedCluster later = fleet.cluster(name(i));
            assertThat(later.catalogSourceImage(NS, catalog)).as(later.name()).contains(old);
            assertThat(later.requests().catalogSourcePatches(NS, catalog)).as(later.name()).isZero();
        }
        assertThat(fixture.eventsOf(halted.rolloutId(), WaveStarted.class)).extracting(WaveStarted::wave)
                .containsExactly(0, 1);
        assertThat(fixture.eventsOf(halted.rolloutId(), RolloutCompleted.class)).isEmpty();

        JsonNode cell = cell(broken.name(), catalog);
        assertThat(cell.path("state").asText()).isEqualTo("ROLLED_BACK");
        assertThat(cell.path("image").asText()).isEqualTo(old);
        assertThat(fixture.get(service.baseUrl() + "/rollouts/" + halted.rolloutId()).path("status").asText())
                .isEqualTo("HALTED");
    }

    @Test
    @Order(5)
    void unreachableClusterTimesOutHaltsItsRolloutAndTheServiceKeepsServingOtherCatalogs() {
        String gamma = "gamma-" + suffix;
        String delta = "delta-" + suffix;
        String gammaOld = seededOldImage(gamma);
        String gammaNext = fixture.pushCatalogImage("olm/" + gamma, "v2");
        String deltaNext = fixture.pushCatalogImage("olm/" + delta, "v1");
        SimulatedCluster unreachable = fleet.cluster(name(9));
        unreachable.apiServer(ApiServerMode.SILENT);
        try {
            fixture.publish(fixture.mirrored(gamma, gammaNext));
            fixture.await(gamma, WaveStarted.class, w -> w.wave() == 2, 1, WITHIN);
            fixture.publish(fixture.mirrored(delta, deltaNext));

            ReceivedEvent deltaEarly = fixture.await(delta, WaveCompleted.class, w -> w.wave() == 1, 1, WITHIN).get(0);
            assertThat(health()).isEqualTo(200);
            ReceivedEvent gammaHalt = fixture.await(gamma, RolloutHalted.class, h -> true, 1, WITHIN).get(0);
            assertThat(deltaEarly.envelope().time()).as("delta advanced while gamma waited for the unreachable cluster")
                    .isBefore(gammaHalt.envelope().time());
            RolloutHalted halted = gammaHalt.data(RolloutHalted.class);
            assertThat(halted.wave()).isEqualTo(2);
            assertThat(halted.failingClusters()).singleElement().satisfies(f -> {
                assertThat(f.cluster()).isEqualTo(unreachable.name());
                assertThat(f.reason()).contains("deadline");
            });
            assertThat(fixture.eventsOf(halted.rolloutId(), ClusterRolledBack.class))
                    .as("nothing changed on the unreachable cluster, so nothing is rolled back").isEmpty();
            assertThat(fixture.eventsOf(halted.rolloutId(), ClusterUpdated.class)).hasSize(9);
            assertThat(health()).isEqualTo(200);
        } finally {
            unreachable.apiServer(ApiServerMode.ANSWERING);
        }
        assertThat(unreachable.catalogSourceImage(NS, gamma)).contains(gammaOld);
        assertThat(unreachable.requests().catalogSourcePatches(NS, gamma)).isZero();
        // delta finishes one way or the other once the cluster answers again; the next test needs a quiet fleet.
        fixture.events.await(e -> delta.equals(e.envelope().subject())
                && (e.envelope().data() instanceof RolloutCompleted || e.envelope().data() instanceof RolloutHalted),
                1, WITHIN);
    }

    @Test
    @Order(6)
    void killedMidRolloutTheRestartedServiceCompletesWithoutRepatchingDoneClusters() {
        String catalog = "epsilon-" + suffix;
        seededOldImage(catalog);
        String next = fixture.pushCatalogImage("olm/" + catalog, "v2");
        fleet.readyDelay(Duration.ofMillis(1200));
        try {
            fixture.publish(fixture.mirrored(catalog, next));
            fixture.await(catalog, ClusterUpdated.class, u -> u.wave() == 1, 1, WITHIN);
            service.kill();
            // Stay down longer than a whole verification window (8 s): downtime must not fail any cluster.
            RolloutFixture.sleep(9_000);
            service.start();
            RolloutCompleted completed = completed(catalog, 1);
            assertThat(completed.clusters()).isEqualTo(10);
            assertThat(fixture.eventsOf(completed.rolloutId(), ClusterFailed.class))
                    .as("no cluster failed for the time the service was down").isEmpty();
            for (SimulatedCluster cluster : fleet.clusters()) {
                assertThat(cluster.catalogSourceImage(NS, catalog)).as(cluster.name()).contains(next);
                assertThat(cluster.requests().catalogSourcePatches(NS, catalog)).as("patches of %s", cluster.name())
                        .isEqualTo(1);
            }
            Map<String, List<String>> idsByCluster = fixture.events.about(catalog).stream()
                    .filter(e -> e.envelope().data() instanceof ClusterUpdated)
                    .collect(Collectors.groupingBy(e -> ((ClusterUpdated) e.envelope().data()).cluster(),
                            Collectors.mapping(e -> e.envelope().id(), Collectors.toList())));
            assertThat(idsByCluster).hasSize(10);
            idsByCluster.forEach((cluster, ids) -> assertThat(ids.stream().distinct()).as(cluster).hasSize(1));
            assertThat(fixture.eventsOf(completed.rolloutId(), RolloutStarted.class).stream().map(RolloutStarted::rolloutId)
                    .distinct()).hasSize(1);
        } finally {
            fleet.readyDelay(Duration.ofMillis(300));
        }
    }

    @Test
    @Order(7)
    void fleetStateRebuiltFromTheEventsEqualsTheLiveMatrixAfterRollbacksFailuresAndARestart() {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", SharedKafka.bootstrapServers(),
                "rebuild-fleet", "--jdbc-url", db.jdbcUrl(), "--schema", "fleet_rebuilt", "--compare-with",
                service.baseUrl()));
        for (String catalog : List.of("alpha", "beta", "gamma", "delta", "epsilon")) {
            args.addAll(List.of("--catalog", catalog + "-" + suffix));
        }
        StringWriter out = new StringWriter();
        int code = AuditCommand.run(args.toArray(String[]::new), new PrintWriter(out, true),
                new PrintWriter(out, true), Map.of(AuditCommand.PG_USER_ENV, db.user(),
                        AuditCommand.PG_PASSWORD_ENV, db.password()));

        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString()).containsPattern("rebuilt \\d+ cells of 10 clusters").contains("equal: ");
        assertThat(cell(name(2), "beta-" + suffix).path("state").asText()).as("a rolled-back cell is among them")
                .isEqualTo("ROLLED_BACK");
        assertThat(cell(name(9), "gamma-" + suffix).path("state").asText()).as("and a failed one")
                .isEqualTo("FAILED");
    }

    // ---------------------------------------------------------------- helpers

    private static String name(int i) {
        return String.format("cluster-%02d", i);
    }

    /** Pushes the catalog's first image and gives every cluster a READY CatalogSource pointing at it. */
    private String seededOldImage(String catalog) {
        String image = fixture.pushCatalogImage("olm/" + catalog, "v1");
        fleet.clusters().parallelStream().forEach(c -> c.seedCatalogSource(NS, catalog, image));
        return image;
    }

    private RolloutCompleted completed(String catalog, int count) {
        return fixture.await(catalog, RolloutCompleted.class, c -> true, count, WITHIN).get(count - 1)
                .data(RolloutCompleted.class);
    }

    private Map<String, Long> catalogSourceWrites(String catalog) {
        Map<String, Long> writes = new HashMap<>();
        fleet.clusters().forEach(c -> writes.put(c.name(), c.requests().catalogSourceWrites(NS, catalog)));
        return writes;
    }

    private List<String> distinctIds(String catalog, Class<?> type) {
        return fixture.events.about(catalog).stream().filter(e -> type.isInstance(e.envelope().data()))
                .map(e -> e.envelope().id()).distinct().toList();
    }

    private static GenericKubernetesResource mirrorSet(SimulatedCluster cluster, String name) {
        return (cluster.servesImageDigestMirrorSets() ? cluster.imageDigestMirrorSet(name)
                : cluster.imageContentSourcePolicy(name)).orElseThrow();
    }

    private JsonNode cell(String cluster, String catalog) {
        for (JsonNode row : list(fixture.get(service.baseUrl() + "/fleet").path("clusters"))) {
            if (row.path("name").asText().equals(cluster)) {
                return row.path("catalogs").path(catalog);
            }
        }
        throw new AssertionError("no row for " + cluster);
    }

    private int health() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(service.baseUrl() + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long offsetOf(List<ReceivedEvent> events, Class<?> type, int wave) {
        return events.stream().filter(e -> type.isInstance(e.envelope().data()))
                .filter(e -> e.envelope().data() instanceof WaveStarted s ? s.wave() == wave
                        : ((WaveCompleted) e.envelope().data()).wave() == wave)
                .mapToLong(ReceivedEvent::offset).min().orElseThrow();
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    private static List<Instant> clusterTimes(JsonNode wave, String field) {
        return list(wave.path("clusters")).stream().map(c -> Instant.parse(c.path(field).asText())).toList();
    }

    /** The most clusters of a wave that were being worked on at the same instant. */
    private static int maxOverlap(JsonNode wave) {
        List<JsonNode> clusters = list(wave.path("clusters"));
        return IntStream.range(0, clusters.size()).map(i -> {
            Instant start = Instant.parse(clusters.get(i).path("startedAt").asText());
            return (int) clusters.stream().filter(c -> !Instant.parse(c.path("startedAt").asText()).isAfter(start)
                    && Instant.parse(c.path("finishedAt").asText()).isAfter(start)).count();
        }).max().orElse(0);
    }

    private static String tokenOf(SimulatedCluster cluster) {
        try {
            String kubeconfig = java.nio.file.Files.readString(cluster.kubeconfig());
            return kubeconfig.substring(kubeconfig.indexOf("token: ") + 7).strip();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
