package dev.catalogautopilot.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.audit.AuditCommand;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.Topics;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.mirror.ImageMapping;
import dev.catalogautopilot.events.rollout.RolloutCompleted;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.testing.cluster.SimulatedCluster;
import dev.catalogautopilot.testing.content.EventContent;
import dev.catalogautopilot.testing.kafka.EventStream;
import dev.catalogautopilot.testing.kafka.ReceivedEvent;
import dev.catalogautopilot.testing.kafka.SharedKafka;
import dev.catalogautopilot.testing.postgres.TestDatabase;
import dev.catalogautopilot.testing.process.ServiceProcess;
import dev.catalogautopilot.testing.stack.PipelineStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole pipeline, end to end, with the four services as separate processes on real infrastructure: an upstream
 * catalog is detected, built, mirrored and rolled out to every simulated cluster; then an upstream change rolls
 * through the same way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndIT {

    private static final Duration RUN = Duration.ofMinutes(6);
    private static final String CNR_PASSWORD = "cnr-e2e-secret-4b1d";
    private static final String OPERATOR_PASSWORD = "operator-e2e-secret-9c2e";
    private static final String CATALOG = PipelineStack.CATALOG;

    private PipelineStack stack;
    private EventStream events;
    private CatalogMirrored firstMirrored;
    private String firstMirroredId;
    private Instant betweenRuns;

    @BeforeAll
    void startStack() throws Exception {
        events = EventStream.onSharedBroker(Topics.all().toArray(String[]::new));
        stack = PipelineStack.start(new PipelineStack.Options(SharedKafka.bootstrapServers(), 5,
                Files.createTempDirectory("pipeline-e2e"),
                Map.of("app-registry-password", CNR_PASSWORD, "operator-password", OPERATOR_PASSWORD),
                message -> System.out.println("[stack] " + message)));
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
        if (events != null) {
            events.close();
        }
    }

    @Test
    @Order(1)
    void firstRunReachesEveryCluster() {
        RolloutCompleted completed = completions(1).get(0).data(RolloutCompleted.class);
        String firstRun = completions(1).get(0).envelope().correlationId();
        firstMirrored = only(CatalogMirrored.class, firstRun);
        firstMirroredId = events.matching(e -> firstRun.equals(e.envelope().correlationId())
                && e.envelope().data() instanceof CatalogMirrored).get(0).envelope().id();
        assertEveryClusterRuns(firstMirrored.catalogImage());
        assertThat(completed.clusters()).isEqualTo(5);
        betweenRuns = Instant.now();
    }

    @Test
    @Order(2)
    void everyReferencedImageIsInTheMirrorWithItsUpstreamDigest() {
        List<ImageMapping> mappings = EventContent.lines(firstMirrored.mapping()).stream().map(ImageMapping::parse)
                .toList();
        assertThat(mappings).hasSize(firstMirrored.images());
        Set<String> upstreamHost = Set.of(stack.upstream().registry().host());
        for (ImageMapping mapping : mappings) {
            ImageReference source = ImageReference.parse(mapping.source());
            ImageReference target = ImageReference.parse(mapping.target());
            if (!upstreamHost.contains(source.registry())) {
                continue; // the catalog image itself, already in the mirror registry
            }
            Digest upstream = stack.upstream().registry().client().resolve(source).digest();
            ImageReference byDigest = target.withDigest(upstream);
            assertThat(stack.mirror().client().hasManifest(byDigest)).as("%s in the mirror", byDigest).isTrue();
        }
        CatalogBuilt built = only(CatalogBuilt.class, completions(1).get(0).envelope().correlationId());
        assertThat(mappings.stream().map(ImageMapping::source)
                .filter(s -> ImageReference.parse(s).registry().equals(stack.upstream().registry().host())))
                .as("every image the built catalog references is mirrored")
                .containsExactlyInAnyOrderElementsOf(EventContent.referencedImages(built));
    }

    @Test
    @Order(3)
    void theRunIsOneCorrelatedChainFromDetectionToRolloutCompleted() {
        String run = completions(1).get(0).envelope().correlationId();
        List<ReceivedEvent> chain = events.matching(e -> run.equals(e.envelope().correlationId()));
        EventEnvelope<?> origin = chain.stream().map(ReceivedEvent::envelope)
                .filter(e -> e.data() instanceof CatalogChanged).findFirst().orElseThrow();
        assertThat(origin.id()).isEqualTo(run);
        assertThat(origin.causationId()).isNull();
        Set<String> ids = chain.stream().map(e -> e.envelope().id()).collect(Collectors.toSet());
        assertThat(chain).filteredOn(e -> e.envelope() != origin && !e.envelope().id().equals(origin.id()))
                .allSatisfy(e -> assertThat(ids).as("causation of %s", e.type()).contains(e.envelope().causationId()));
        assertThat(chain).extracting(ReceivedEvent::type).contains(CatalogChanged.TYPE.name(),
                CatalogBuilt.TYPE.name(), CatalogMirrored.TYPE.name(), RolloutCompleted.TYPE.name());
        CatalogBuilt built = only(CatalogBuilt.class, run);
        assertThat(events.matching(e -> e.envelope().id().equals(
                chain.stream().filter(c -> c.envelope().data() == built).findFirst().orElseThrow()
                        .envelope().causationId()))).extracting(ReceivedEvent::type)
                .containsOnly(CatalogChanged.TYPE.name());
    }

    @Test
    @Order(4)
    void anUpstreamChangeRollsThroughToTheSecondDigest() {
        stack.appRegistry().publishRelease("etcd");
        ReceivedEvent second = completions(2).get(1);
        String run = second.envelope().correlationId();
        CatalogChanged change = only(CatalogChanged.class, run);
        assertThat(change.updated()).extracting(p -> p.name()).containsExactly("etcd");
        CatalogBuilt built = only(CatalogBuilt.class, run);
        assertThat(built.diff()).isNotNull();
        assertThat(built.diff().previousImage()).isNotNull();
        CatalogMirrored mirrored = only(CatalogMirrored.class, run);
        assertThat(mirrored.catalogImage()).isNotEqualTo(firstMirrored.catalogImage());
        assertEveryClusterRuns(mirrored.catalogImage());
    }

    @Test
    @Order(5)
    void theAuditToolAnswersFromTheTopics() {
        String secondRun = completions(2).get(1).envelope().correlationId();
        String timeline = audit("timeline", "--correlation", secondRun);
        assertThat(timeline).contains("catalog.changed").contains("catalog.built").contains("catalog.mirrored")
                .contains("rollout.completed");
        String at = audit("at", "--cluster", "canary-1", "--time", betweenRuns.toString(), "--catalog", CATALOG);
        assertThat(at).contains("ran " + firstMirrored.catalogImage())
                .contains("caused by upstream change " + completions(1).get(0).envelope().correlationId());
        assertThat(audit("verify")).contains("chain intact");
    }

    @Test
    @Order(6)
    void theFleetStateRebuiltFromEventsEqualsTheLiveState() {
        TestDatabase db = TestDatabase.create("fleet_rebuild");
        Output out = audit(Map.of("AUTOPILOT_PG_USER", db.user(), "AUTOPILOT_PG_PASSWORD", db.password()),
                "rebuild-fleet", "--jdbc-url", db.jdbcUrl(), "--schema", "fleet_projection",
                "--compare-with", stack.service("rollout-service").baseUrl());
        assertThat(out.text()).contains("equal: ");
        assertThat(out.code()).isZero();
    }

    @Test
    @Order(7)
    void aReDriveRollsTheFleetBackToTheFirstBuildAndTheAuditShowsIt() {
        Output redrive = audit(Map.of("AUTOPILOT_USER", "operator", "AUTOPILOT_PASSWORD", OPERATOR_PASSWORD),
                "redrive", "--rollout-url", stack.service("rollout-service").baseUrl(), "--catalog", CATALOG,
                "--event", firstMirroredId, "--reason", "end-to-end test: back to the first build");
        assertThat(redrive.code()).as(redrive.text()).isZero();
        assertThat(redrive.text()).doesNotContain(OPERATOR_PASSWORD);
        ReceivedEvent third = completions(3).get(2);
        assertEveryClusterRuns(firstMirrored.catalogImage());
        String run = third.envelope().correlationId();
        assertThat(run).isNotEqualTo(completions(1).get(0).envelope().correlationId());
        assertThat(events.matching(e -> run.equals(e.envelope().correlationId())
                && firstMirroredId.equals(e.envelope().causationId()))).as("the re-driven run points at the original")
                .isNotEmpty();
        Output at = audit(Map.of(), "at", "--cluster", "prod-01", "--time", Instant.now().toString(),
                "--catalog", CATALOG);
        assertThat(at.text()).contains("ran " + firstMirrored.catalogImage())
                .contains("caused by upstream change " + completions(1).get(0).envelope().correlationId());
        assertThat(audit(Map.of(), "timeline", "--correlation", run).text()).contains("REDRIVE")
                .contains("rollout.completed");
    }

    @Test
    @Order(8)
    void noSecretAppearsInAnyLogOrEvent() {
        List<String> secrets = List.of(CNR_PASSWORD, OPERATOR_PASSWORD,
                Base64.getEncoder().encodeToString(("autopilot:" + CNR_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        for (ServiceProcess service : stack.services().values()) {
            assertThat(service.logs()).as(service.logFile().toString()).doesNotContain(secrets);
        }
        for (ReceivedEvent event : events.all()) {
            String text = new String(event.value(), StandardCharsets.UTF_8) + event.headers();
            assertThat(text).as(event.type()).doesNotContain(secrets);
        }
    }

    @Test
    @Order(9)
    void everyServiceExposesItsStageMetricsAndWorkerHealth() throws Exception {
        // Two runs (and a re-drive) went through: each stage's timer counted both, and the queues are gauged.
        String watcher = scrape("watcher-service");
        assertThat(metric(watcher, "watcher_poll_duration_seconds_count", "outcome=\"changed\"")).isGreaterThanOrEqualTo(2);
        assertThat(metric(watcher, "worker_stuck", "worker=\"catalog-poller\"")).isZero();
        String builder = scrape("builder-service");
        assertThat(metric(builder, "pipeline_detect_to_built_seconds_count", "")).isGreaterThanOrEqualTo(2);
        assertThat(metric(builder, "builder_build_duration_seconds_count", "outcome=\"succeeded\"")).isGreaterThanOrEqualTo(2);
        assertThat(metric(builder, "builder_jobs", "status=\"QUEUED\"")).isGreaterThanOrEqualTo(0);
        assertThat(metric(builder, "worker_stuck", "worker=\"build-runner\"")).isZero();
        String mirror = scrape("mirror-service");
        assertThat(metric(mirror, "mirror_blobs_total", "placement=\"copied\"")).isPositive();
        assertThat(metric(mirror, "mirror_copied_bytes_total", "")).isPositive();
        assertThat(metric(mirror, "pipeline_plan_to_mirrored_seconds_count", "outcome=\"mirrored\""))
                .isGreaterThanOrEqualTo(2);
        assertThat(metric(mirror, "mirror_jobs", "state=\"QUEUED\"")).isGreaterThanOrEqualTo(0);
        assertThat(metric(mirror, "worker_stuck", "worker=\"mirror-worker\"")).isZero();
        String rollout = scrape("rollout-service");
        assertThat(metric(rollout, "rollout_duration_seconds_count", "status=\"completed\"")).isGreaterThanOrEqualTo(2);
        assertThat(metric(rollout, "rollout_clusters", "state=\"PENDING\"")).isGreaterThanOrEqualTo(0);
        assertThat(metric(rollout, "outbox_oldest_pending_age_seconds", "")).isGreaterThanOrEqualTo(0);
        for (String service : List.of("watcher-service", "builder-service", "mirror-service")) {
            String health = get(stack.service(service).baseUrl() + "/q/health/live");
            assertThat(health).as(service).contains("\"workers\"");
        }
    }

    private String scrape(String service) throws Exception {
        return get(stack.service(service).baseUrl() + "/q/metrics");
    }

    private static String get(String url) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    /** The value of one sample: {@code name} with a label set containing {@code label} (or any, when empty). */
    private static double metric(String scrape, String name, String label) {
        return scrape.lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> label.isEmpty() || line.contains(label))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + " {" + label + "} in:\n" + scrape));
    }

    private List<ReceivedEvent> completions(int count) {
        return events.await(e -> CATALOG.equals(e.envelope().subject()) && e.envelope().data() instanceof RolloutCompleted,
                count, RUN);
    }

    private <T> T only(Class<T> type, String correlationId) {
        List<T> found = events.matching(e -> correlationId.equals(e.envelope().correlationId())
                && type.isInstance(e.envelope().data())).stream().map(e -> type.cast(e.envelope().data()))
                .distinct().toList();
        assertThat(found).as("%s events of run %s", type.getSimpleName(), correlationId).hasSize(1);
        return found.get(0);
    }

    private void assertEveryClusterRuns(String image) {
        for (SimulatedCluster cluster : stack.fleet().clusters()) {
            assertThat(cluster.catalogSourceImage(SimulatedCluster.MARKETPLACE, PipelineStack.CATALOG_SOURCE))
                    .as(cluster.name()).hasValue(image);
        }
    }

    private static String audit(String... args) {
        return audit(Map.of(), args).text();
    }

    private record Output(int code, String text) {
    }

    private static Output audit(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "--bootstrap-servers";
        all[1] = SharedKafka.bootstrapServers();
        System.arraycopy(args, 0, all, 2, args.length);
        int code = AuditCommand.run(all, new PrintWriter(out, true), new PrintWriter(out, true), env);
        return new Output(code, out.toString());
    }
}
