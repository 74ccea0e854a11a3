package dev.catalogautopilot.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.events.ContentRef;
import dev.catalogautopilot.events.ContentTypes;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.Topics;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.mirror.CatalogMirrorFailed;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.mirror.FailedImage;
import dev.catalogautopilot.events.mirror.MirrorStats;
import dev.catalogautopilot.mirror.plan.PlanListener;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.testing.Fixtures;
import dev.catalogautopilot.testing.content.EventContent;
import dev.catalogautopilot.testing.kafka.EventStream;
import dev.catalogautopilot.testing.kafka.PipelineTopics;
import dev.catalogautopilot.testing.kafka.ReceivedEvent;
import dev.catalogautopilot.testing.kafka.SharedKafka;
import dev.catalogautopilot.testing.postgres.TestDatabase;
import dev.catalogautopilot.testing.process.ServiceProcess;
import dev.catalogautopilot.testing.proxy.RegistryProxy;
import dev.catalogautopilot.testing.registry.LocalRegistry;
import dev.catalogautopilot.testing.upstream.ImagePusher;
import dev.catalogautopilot.testing.upstream.Platform;
import dev.catalogautopilot.testing.upstream.PushedImage;
import dev.catalogautopilot.testing.upstream.SimulatedUpstream;
import dev.catalogautopilot.testing.upstream.UpstreamSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged mirror-service as processes against the real broker, PostgreSQL and two {@code docker-registry}
 * instances (upstream and mirror), mirroring the upstream simulator's images for the fixture operators plus a
 * multi-arch catalog image, from build events this test publishes itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MirrorServiceIT {

    private static final Duration WITHIN = Duration.ofMinutes(3);

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
        images = UpstreamSimulator.publish(Fixtures.operators(), upstream);
        catalogImage = ImagePusher.loopback().pushIndexImage(Fixtures.fbc().resolve("prometheus"),
                upstream.image("olm/community-operators:v2"), List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64));
        events = EventStream.onSharedBroker(Topics.CATALOG_MIRRORED);
    }

    /** Each test's services leave the shared consumer groups before the next test starts its own. */
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

    /** Done when 1, 2 and 6: two instances share the plan; every image lands with its digest; files as expected. */
    @Test
    void twoInstancesMirrorEveryImageWithItsDigestAndWriteTheExpectedMirrorSets() throws Exception {
        LocalRegistry mirror = closing(LocalRegistry.start());
        TestDatabase db = TestDatabase.create("mirror_two");
        Path manifests = Files.createTempDirectory("mirror-manifests-");
        String catalog = "community-" + suffix;
        List<String> insecure = List.of(upstream.host(), mirror.host());
        ServiceProcess a = closing(MirrorFixture.service("worker-a", db, mirror.host(), insecure, manifests, 3).start());
        ServiceProcess b = closing(MirrorFixture.service("worker-b", db, mirror.host(), insecure, manifests, 3).start());

        List<String> referenced = new ArrayList<>(images.rewrites().values());
        referenced.addAll(images.malformed().values());
        EventEnvelope<CatalogBuilt> built = MirrorFixture.publishBuild(catalog, catalogImage.pinned(), referenced);
        CatalogMirrored mirrored = awaitCompletion(catalog).data(CatalogMirrored.class);
        String planId = PlanListener.planId(built.id());

        // 1: every planned image is in the mirror under its target, with the upstream digest; indexes whole.
        assertThat(mirrored.images()).isEqualTo(images.pushedImages().size() + 1);
        RegistryClient mirrorClient = mirror.client();
        for (PushedImage image : images.pushedImages()) {
            ImageReference target = mirror.image(image.reference().repository() + ":" + image.digest().hex());
            assertThat(mirrorClient.resolve(target).digest()).as("%s", target).isEqualTo(image.digest());
            for (Digest platform : image.platformManifests().values()) {
                assertThat(mirrorClient.hasManifest(target.repositoryRef().digest(platform))).isTrue();
            }
        }
        ImageReference mirroredCatalog = ImageReference.parse(mirrored.catalogImage());
        assertThat(mirroredCatalog).isEqualTo(mirror.image("olm/community-operators@" + catalogImage.digest()));
        assertThat(rawDigestBySkopeo(mirroredCatalog)).isEqualTo(catalogImage.digest());
        for (Digest platform : catalogImage.platformManifests().values()) {
            assertThat(rawDigestBySkopeo(mirroredCatalog.repositoryRef().digest(platform))).isEqualTo(platform);
        }
        images.pushedImages().stream().filter(PushedImage::isIndex).limit(5).forEach(index -> assertThat(
                rawDigestBySkopeo(mirror.image(index.reference().repository() + "@" + index.digest())))
                .isEqualTo(index.digest()));

        // 2: the jobs were divided between the instances, each done once.
        Map<String, Integer> byWorker = new HashMap<>();
        try (Connection connection = db.connect(); ResultSet rows = connection.createStatement().executeQuery(
                "SELECT worker, state, count(*) FROM mirror_job WHERE plan_id = '" + planId + "' GROUP BY 1, 2")) {
            while (rows.next()) {
                assertThat(rows.getString(2)).isEqualTo("DONE");
                byWorker.put(rows.getString(1), rows.getInt(3));
            }
        }
        assertThat(byWorker).containsOnlyKeys("worker-a", "worker-b");
        assertThat(byWorker.values()).allSatisfy(count -> assertThat(count).isPositive());
        assertThat(byWorker.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(mirrored.images());

        // 6: mapping.txt, ImageContentSourcePolicy and ImageDigestMirrorSet as expected, in files, REST and event.
        Path dir = manifests.resolve(catalog).resolve(planId);
        assertThat(Files.readString(dir.resolve("mapping.txt"))).isEqualTo(expected("mapping.txt", catalog, mirror));
        assertThat(Files.readString(dir.resolve("imageContentSourcePolicy.yaml")))
                .isEqualTo(expected("imageContentSourcePolicy.yaml", catalog, mirror))
                .isEqualTo(EventContent.text(mirrored.imageContentSourcePolicy()));
        assertThat(Files.readString(dir.resolve("imageDigestMirrorSet.yaml")))
                .isEqualTo(expected("imageDigestMirrorSet.yaml", catalog, mirror))
                .isEqualTo(EventContent.text(mirrored.imageDigestMirrorSet()));
        assertThat(EventContent.text(mirrored.mapping())).isEqualTo(expected("mapping.txt", catalog, mirror));
        assertThat(mirrored.mapping().entries()).isEqualTo(mirrored.images());
        assertThat(get(a, "/plans/" + planId)).contains("\"state\":\"MIRRORED\"", "\"pending\":0", "\"failed\":0");
        assertThat(get(b, "/plans/" + planId + "/mapping.txt")).isEqualTo(expected("mapping.txt", catalog, mirror));
        assertOneCompletion(catalog);

        // A later plan of the same images (here another catalog's) reuses every copy: no job is requested or run.
        String again = "again-" + suffix;
        EventEnvelope<CatalogBuilt> rebuilt = MirrorFixture.publishBuild(again, catalogImage.pinned(), referenced);
        CatalogMirrored remirrored = awaitCompletion(again).data(CatalogMirrored.class);
        assertThat(remirrored.images()).isEqualTo(mirrored.images());
        assertThat(remirrored.imagesReused()).isEqualTo(mirrored.images());
        assertThat(remirrored.catalogImage()).isEqualTo(mirrored.catalogImage());
        assertThat(remirrored.stats()).isEqualTo(MirrorStats.ZERO);
        assertThat(EventContent.text(remirrored.mapping())).isEqualTo(EventContent.text(mirrored.mapping()));
        assertThat(intQuery(db, "SELECT count(*) FROM mirror_job WHERE plan_id = '"
                + PlanListener.planId(rebuilt.id()) + "' AND state = 'DONE' AND reused_from = '" + planId
                + "' AND request_event_id IS NULL")).isEqualTo(mirrored.images());
        assertOneCompletion(again);
    }

    /** Done when 3: killed mid-plan and restarted, the plan completes once and no blob is copied twice. */
    @Test
    void anInstanceKilledMidPlanCompletesItAfterARestartWithoutCopyingABlobTwice() throws Exception {
        LocalRegistry mirror = closing(LocalRegistry.start());
        TestDatabase db = TestDatabase.create("mirror_kill");
        String catalog = "killed-" + suffix;
        ServiceProcess service = closing(MirrorFixture.service("worker-k", db, mirror.host(),
                List.of(upstream.host(), mirror.host()), Files.createTempDirectory("mirror-manifests-"), 2)
                .property("mp.messaging.incoming.builds.session.timeout.ms", "6000")
                .property("mp.messaging.incoming.jobs.session.timeout.ms", "6000")
                .start());

        EventEnvelope<CatalogBuilt> built = MirrorFixture.publishBuild(catalog, catalogImage.pinned(),
                images.rewrites().values());
        String planId = PlanListener.planId(built.id());
        awaitSql(db, "SELECT count(*) >= 60 FROM mirror_blob WHERE placement = 'COPIED'");
        service.kill();
        int copiedBeforeKill = intQuery(db, "SELECT count(*) FROM mirror_blob WHERE placement = 'COPIED'");
        assertThat(intQuery(db, "SELECT count(*) FROM mirror_job WHERE plan_id = '" + planId
                + "' AND state IN ('PLANNED', 'QUEUED', 'RUNNING')")).as("killed mid-plan").isPositive();

        service.start();
        CatalogMirrored mirrored = awaitCompletion(catalog).data(CatalogMirrored.class);

        assertThat(intQuery(db, "SELECT count(*) FROM (SELECT digest FROM mirror_blob WHERE placement = 'COPIED'"
                + " GROUP BY registry, digest HAVING count(*) > 1) twice")).as("blobs copied twice").isZero();
        assertThat(intQuery(db, "SELECT count(*) FROM mirror_blob WHERE placement = 'COPIED'"))
                .isGreaterThan(copiedBeforeKill);
        assertThat(mirrored.stats().blobsCopied() + mirrored.stats().blobsMounted() + mirrored.stats().blobsSkipped())
                .isPositive();
        for (PushedImage image : images.pushedImages()) {
            assertThat(mirror.client().resolve(mirror.image(image.reference().repository() + ":"
                    + image.digest().hex())).digest()).isEqualTo(image.digest());
        }
        assertOneCompletion(catalog);
    }

    /**
     * Done when 4 and 5, on slices of the fixture images: a corrupted blob fails its images with a digest mismatch
     * and the catalog with them, while an upstream failing 20% of requests still completes.
     */
    @Test
    void aCorruptedBlobFailsTheCatalogWhileAFlakyUpstreamStillCompletes() throws Exception {
        LocalRegistry mirror = closing(LocalRegistry.start());
        TestDatabase db = TestDatabase.create("mirror_faults");
        List<PushedImage> all = images.pushedImages().stream().toList();
        List<PushedImage> corruptSlice = all.subList(0, 15);
        List<PushedImage> flakySlice = all.subList(15, 75);
        Digest corrupted = corruptSlice.get(3).blobs().get(corruptSlice.get(3).blobs().size() - 1);
        RegistryProxy corrupting = closing(RegistryProxy.start(upstream.url()).corruptBlob(corrupted));
        RegistryProxy flaky = closing(RegistryProxy.start(upstream.url()).failRandomly(0.2, 20));
        closing(MirrorFixture.service("worker-f", db, mirror.host(),
                List.of(upstream.host(), mirror.host(), corrupting.host(), flaky.host()),
                Files.createTempDirectory("mirror-manifests-"), 4).start());

        String brokenCatalog = "corrupt-" + suffix;
        MirrorFixture.publishBuild(brokenCatalog, catalogImage.pinned(), via(corrupting, corruptSlice));
        String flakyCatalog = "flaky-" + suffix;
        MirrorFixture.publishBuild(flakyCatalog, catalogImage.pinned(), via(flaky, flakySlice));

        CatalogMirrorFailed failed = awaitCompletion(brokenCatalog).data(CatalogMirrorFailed.class);
        List<PushedImage> broken = corruptSlice.stream().filter(i -> i.blobs().contains(corrupted)).toList();
        assertThat(failed.failedImages()).extracting(FailedImage::source)
                .containsExactlyInAnyOrderElementsOf(via(corrupting, broken));
        assertThat(failed.failedImages()).allSatisfy(f -> assertThat(f.error()).contains("Digest mismatch"));
        assertThat(failed.failedCount()).isEqualTo(broken.size());
        for (PushedImage image : broken) {
            ImageReference target = mirror.image(image.reference().repository() + ":" + image.digest().hex());
            assertThat(mirror.client().hasManifest(target)).isFalse();
            assertThat(mirror.client().hasManifest(target.repositoryRef().digest(image.digest()))).isFalse();
        }
        assertThat(corrupting.corruptedResponses()).isPositive();

        // A build whose content is not in the registry cannot be planned: it fails at once, naming why.
        String unplannable = "unplannable-" + suffix;
        ImageReference missing = catalogImage.pinned().repositoryRef().digest(Digest.sha256(new byte[] {1, 2, 3}));
        MirrorFixture.publishBuild(unplannable, catalogImage.pinned(), new ContentRef(missing.toString(),
                ContentTypes.REFERENCED_IMAGES, 3, 1));
        CatalogMirrorFailed refused = awaitCompletion(unplannable).data(CatalogMirrorFailed.class);
        assertThat(refused.reason()).contains("cannot be planned", "404");
        assertThat(refused.failedCount()).isZero();

        CatalogMirrored mirrored = awaitCompletion(flakyCatalog).data(CatalogMirrored.class);
        assertThat(flaky.injectedFailures()).isPositive();
        assertThat(mirrored.images()).isEqualTo(flakySlice.size() + 1);
        for (PushedImage image : flakySlice) {
            assertThat(mirror.client().resolve(mirror.image(image.reference().repository() + ":"
                    + image.digest().hex())).digest()).isEqualTo(image.digest());
        }
        assertThat(events.about(brokenCatalog)).extracting(ReceivedEvent::type)
                .doesNotContain(CatalogMirrored.TYPE.name());
        assertOneCompletion(brokenCatalog);
        assertOneCompletion(flakyCatalog);
    }

    private static List<String> via(RegistryProxy proxy, List<PushedImage> slice) {
        return slice.stream().map(i -> ImageReference.of(proxy.host(), i.reference().repository(), i.digest())
                .toString()).toList();
    }

    private ReceivedEvent awaitCompletion(String catalog) {
        return events.await(e -> catalog.equals(e.envelope().subject()), 1, WITHIN).get(0);
    }

    /**
     * Waits long enough for a second completion to surface, then checks there is none: one event id. (Two
     * instances' outbox relays may both publish the same committed row; that is a redelivery of one event, which
     * consumers drop by its id.)
     */
    private void assertOneCompletion(String catalog) throws InterruptedException {
        Thread.sleep(2000);
        assertThat(events.about(catalog).stream().map(e -> e.envelope().id()).distinct()).hasSize(1);
    }

    private String expected(String file, String catalog, LocalRegistry mirror) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/expected/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${UPSTREAM}", upstream.host())
                    .replace("${MIRROR}", mirror.host())
                    .replace("${CATALOG}", catalog);
        }
    }

    /** The digest of the manifest bytes skopeo reads: an independent check of what the mirror serves. */
    private static Digest rawDigestBySkopeo(ImageReference image) {
        try {
            Process skopeo = new ProcessBuilder("skopeo", "inspect", "--raw", "--tls-verify=false",
                    "docker://" + image).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] raw = skopeo.getInputStream().readAllBytes();
            assertThat(skopeo.waitFor()).as("skopeo inspect %s", image).isZero();
            return Digest.sha256(raw);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String get(ServiceProcess service, String path) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(service.baseUrl() + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
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
