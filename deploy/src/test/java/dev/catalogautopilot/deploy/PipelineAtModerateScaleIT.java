package dev.catalogautopilot.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.Topics;
import dev.catalogautopilot.events.catalog.CatalogBuildFailed;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.mirror.CatalogMirrorFailed;
import dev.catalogautopilot.events.rollout.ClusterUpdated;
import dev.catalogautopilot.events.rollout.RolloutCompleted;
import dev.catalogautopilot.events.rollout.RolloutHalted;
import dev.catalogautopilot.kafka.KafkaBroker;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.testing.cluster.SimulatedCluster;
import dev.catalogautopilot.testing.kafka.EventStream;
import dev.catalogautopilot.testing.kafka.ReceivedEvent;
import dev.catalogautopilot.testing.kafka.RecordSizes;
import dev.catalogautopilot.testing.scale.ScaleImage;
import dev.catalogautopilot.testing.scale.ScaleSpec;
import dev.catalogautopilot.testing.stack.PipelineStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real pipeline over a generated catalog of moderate size (1,000 bundles, 3,000 images in 300 repositories):
 * the catalog is detected, built, mirrored and rolled out to a canary and two more clusters, every referenced image
 * reaches the mirror, and no record on any topic is larger than Kafka takes by default (1 MiB). It runs on its own
 * broker, so "any topic" means exactly this run's records. {@code -Dcatalogautopilot.scale-it.size=…} runs it at
 * another size ({@link ScaleSpec#parse}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineAtModerateScaleIT {

    private static final ScaleSpec SIZE = ScaleSpec.parse(System.getProperty("catalogautopilot.scale-it.size",
            "moderate"));
    /** From the first change to rollout completed; it takes about two minutes here. */
    private static final Duration RUN = Duration.ofMinutes(6);
    private static final long MAX_RECORD_BYTES = 1024 * 1024;

    private KafkaBroker kafka;
    private RecordSizes sizes;
    private EventStream events;
    private PipelineStack stack;
    private RolloutCompleted completed;

    @BeforeAll
    void startStack() throws Exception {
        Path work = Files.createTempDirectory("pipeline-scale");
        kafka = KafkaBroker.start(work.resolve("kafka"), 0, false);
        List<String> topics = Topics.allWithDeadLetters();
        sizes = RecordSizes.open(kafka.bootstrapServers(), topics, MAX_RECORD_BYTES);
        events = EventStream.open(kafka.bootstrapServers(), topics.toArray(String[]::new));
        stack = PipelineStack.start(new PipelineStack.Options(kafka.bootstrapServers(), 3, work.resolve("stack"),
                Map.of(), message -> System.out.println("[stack] " + message)).withScale(SIZE));
    }

    @AfterAll
    void stopStack() {
        for (AutoCloseable resource : new AutoCloseable[] {stack, events, sizes, kafka}) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception ignored) {
                // best effort teardown
            }
        }
    }

    @Test
    @Order(1)
    void theCanaryAndEveryClusterReachTheNewCatalog() {
        ReceivedEvent end = events.await(e -> ends(e.envelope().data()) || e.topic().endsWith(Topics.DEAD_LETTER_SUFFIX),
                1, RUN).get(0);
        assertThat(end.envelope().data()).as("how the run ended: %s on %s", end.type(), end.topic())
                .isInstanceOf(RolloutCompleted.class);
        completed = end.data(RolloutCompleted.class);
        String run = end.envelope().correlationId();
        CatalogBuilt built = events.matching(e -> run.equals(e.envelope().correlationId())
                && e.envelope().data() instanceof CatalogBuilt).get(0).data(CatalogBuilt.class);
        assertThat(built.counts().packages()).isEqualTo(SIZE.packages());
        assertThat(built.counts().bundles()).isEqualTo(SIZE.bundles());
        assertThat(built.referencedImages().entries()).as("images the build names by reference")
                .isEqualTo(SIZE.images());
        assertThat(events.matching(e -> run.equals(e.envelope().correlationId())
                && e.envelope().data() instanceof ClusterUpdated u && u.cluster().startsWith("canary")))
                .extracting(e -> e.data(ClusterUpdated.class).newImage()).containsExactly(completed.image());
        for (SimulatedCluster cluster : stack.fleet().clusters()) {
            assertThat(cluster.catalogSourceImage(SimulatedCluster.MARKETPLACE, PipelineStack.CATALOG_SOURCE))
                    .as(cluster.name()).hasValue(completed.image());
        }
        assertThat(completed.clusters()).isEqualTo(stack.fleet().clusters().size());
    }

    @Test
    @Order(2)
    void everyReferencedImageIsInTheMirror() throws Exception {
        List<ScaleImage> images = stack.scaleCatalog().images();
        assertThat(images).hasSize(SIZE.images());
        // Bounded parallelism: 3,000 HEADs one at a time would be most of the test's time.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> present = images.stream().map(image -> pool.submit(() -> stack.mirror().client()
                    .hasManifest(ImageReference.of(stack.mirror().host(), image.repository(), image.digest())))).toList();
            for (int i = 0; i < images.size(); i++) {
                assertThat(present.get(i).get()).as("%s in the mirror", images.get(i)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(3)
    void noPublishedRecordOnAnyTopicExceedsOneMebibyte() throws InterruptedException {
        // The size monitor reads the same topics as the event stream; let it catch up, within a bound.
        Instant deadline = Instant.now().plusSeconds(30);
        while (sizes.records() < events.all().size() + events.decodingErrors().size() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(sizes.records()).isGreaterThanOrEqualTo(events.all().size());
        assertThat(sizes.oversized()).as("records over 1 MiB; the largest is %s", sizes.largest()).isEmpty();
    }

    private static boolean ends(EventData data) {
        return data instanceof RolloutCompleted || data instanceof RolloutHalted || data instanceof CatalogBuildFailed
                || data instanceof CatalogMirrorFailed;
    }
}
