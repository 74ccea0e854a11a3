package dev.catalogautopilot.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.events.EventChain;
import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.ContentRef;
import dev.catalogautopilot.events.ContentTypes;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventJson;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.catalog.CatalogCounts;
import dev.catalogautopilot.events.catalog.PackageChange;
import dev.catalogautopilot.events.catalog.PackageSnapshot;
import dev.catalogautopilot.events.catalog.UpstreamSource;
import dev.catalogautopilot.events.catalog.WatchTrigger;
import dev.catalogautopilot.events.kafka.KafkaCloudEvents;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.mirror.MirrorStats;
import dev.catalogautopilot.events.rollout.ClusterUpdated;
import dev.catalogautopilot.events.rollout.MirrorSetOutcome;
import dev.catalogautopilot.events.rollout.RolloutCompleted;
import dev.catalogautopilot.testing.kafka.SharedKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The audit tool against a real broker, over two chained pipeline runs written to topics of this test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditCommandIT {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private final String prefix = "audit-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    private final String catalog = "community";
    private final Map<String, String> lastHash = new HashMap<>();
    private final Map<String, String> lastId = new HashMap<>();
    private final List<ProducerRecord<String, byte[]>> published = new ArrayList<>();
    private EventEnvelope<CatalogChanged> firstChange;
    private EventEnvelope<CatalogChanged> secondChange;

    @BeforeAll
    void publishTwoRuns() throws Exception {
        firstChange = run("sha256:1111", T0, "1.0.0");
        secondChange = run("sha256:2222", T0.plusSeconds(3600), "1.0.1");
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (ProducerRecord<String, byte[]> record : published) {
                producer.send(record).get();
            }
        }
    }

    private EventEnvelope<CatalogChanged> run(String digest, Instant start, String release) {
        PackageSnapshot etcd = new PackageSnapshot("etcd", release, List.of(release), "sha256:" + "e".repeat(64));
        CatalogChanged changedData = new CatalogChanged(catalog, new UpstreamSource.AppRegistry("http://cnr", "ns"),
                WatchTrigger.POLL, "rev-" + release, null, List.of(etcd), List.of(PackageChange.added(etcd)),
                List.of(), List.of(), null, start);
        EventEnvelope<CatalogChanged> changed = EventEnvelope.first("/catalog-autopilot/watcher-service", catalog,
                changedData, clock(start));
        String image = "mirror.local/olm/community@" + digest;
        EventEnvelope<CatalogBuilt> built = EventEnvelope.causedBy(changed, "/catalog-autopilot/builder-service",
                new CatalogBuilt(catalog, changedData.revision(), image, List.of(), new CatalogCounts(1, 1, 1),
                        List.of(), content(image), null), clock(start.plusSeconds(60)));
        EventEnvelope<CatalogMirrored> mirrored = EventEnvelope.causedBy(built, "/catalog-autopilot/mirror-service",
                new CatalogMirrored(catalog, "plan-" + release, image, image, content(image), content(image),
                        content(image), MirrorStats.ZERO, 1, 0, null),
                clock(start.plusSeconds(120)));
        EventEnvelope<ClusterUpdated> updated = EventEnvelope.causedBy(mirrored, "/catalog-autopilot/rollout-service",
                new ClusterUpdated(catalog, "r-" + release, "cluster-a", 0, null, image, MirrorSetOutcome.APPLIED,
                        start.plusSeconds(180)), "cluster-a", clock(start.plusSeconds(180)));
        EventEnvelope<RolloutCompleted> completed = EventEnvelope.causedBy(mirrored, "/catalog-autopilot/rollout-service",
                new RolloutCompleted(catalog, "r-" + release, 1, image, digest), clock(start.plusSeconds(200)));
        for (EventEnvelope<? extends EventData> e : List.of(changed, built, mirrored, updated, completed)) {
            published.add(chained(e));
        }
        return changed;
    }

    /** What libs/outbox does: one chain per producer and catalog. */
    private ProducerRecord<String, byte[]> chained(EventEnvelope<?> envelope) {
        ProducerRecord<String, byte[]> plain = KafkaCloudEvents.toProducerRecord(envelope);
        String chainKey = envelope.source() + "|" + envelope.subject();
        byte[] value = plain.value();
        String hash = EventChain.hash(lastHash.get(chainKey), envelope.id(), envelope.type(), envelope.source(),
                envelope.subject(), envelope.time(), envelope.correlationId(), envelope.causationId(), value);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(prefix + plain.topic(), null, plain.key(), value,
                plain.headers());
        record.headers().add("ce_" + EventChain.HASH, hash.getBytes(StandardCharsets.UTF_8));
        if (lastId.containsKey(chainKey)) {
            record.headers().add("ce_" + EventChain.PREVIOUS, lastId.get(chainKey).getBytes(StandardCharsets.UTF_8));
        }
        lastHash.put(chainKey, hash);
        lastId.put(chainKey, envelope.id());
        return record;
    }

    @Test
    void timelineOfARunListsEveryStageInOrder() {
        Output out = audit("timeline", "--correlation", firstChange.correlationId());
        assertThat(out.code).isZero();
        assertThat(out.text).contains("5 events");
        assertThat(out.text.indexOf("catalog.changed")).isLessThan(out.text.indexOf("catalog.built"));
        assertThat(out.text.indexOf("catalog.built")).isLessThan(out.text.indexOf("catalog.mirrored"));
        assertThat(out.text.indexOf("rollout.cluster.updated")).isLessThan(out.text.indexOf("rollout.completed"));
        assertThat(out.text).contains("/catalog-autopilot/builder-service").doesNotContain("sha256:2222");
    }

    @Test
    void timelineOfACatalogOverATimeRange() {
        Output out = audit("timeline", "--catalog", catalog, "--from", T0.plusSeconds(1800).toString());
        assertThat(out.text).contains("5 events").contains("sha256:2222").doesNotContain("sha256:1111");
    }

    @Test
    void pointInTimeNamesTheImageAndTheUpstreamChangeBehindIt() {
        Output between = audit("at", "--cluster", "cluster-a", "--time", T0.plusSeconds(1000).toString());
        assertThat(between.code).isZero();
        assertThat(between.text).contains("ran mirror.local/olm/community@sha256:1111")
                .contains("caused by upstream change " + firstChange.id());
        Output after = audit("at", "--cluster", "cluster-a", "--time", T0.plusSeconds(7200).toString());
        assertThat(after.text).contains("@sha256:2222").contains(secondChange.id());
        Output before = audit("at", "--cluster", "cluster-a", "--time", T0.minusSeconds(1).toString());
        assertThat(before.code).isEqualTo(1);
    }

    @Test
    void intactChainsVerifyAndATamperedCopyNamesTheAlteredEvent() throws Exception {
        assertThat(audit("verify").text).contains("10 events in 4 chains").contains("chain intact");

        // Copy the builds topic, altering the payload of the second run's build event.
        String copy = prefix + "catalog.builds.copy";
        List<AuditEvent> builds = new AuditLogReader(SharedKafka.bootstrapServers())
                .read(List.of(prefix + "catalog.builds"), null, new ArrayList<>());
        assertThat(builds).hasSize(2);
        AuditEvent victim = builds.stream().filter(e -> e.envelope().causationId().equals(secondChange.id()))
                .findFirst().orElseThrow();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (AuditEvent e : builds) {
                byte[] value = e == victim ? new String(e.value(), StandardCharsets.UTF_8)
                        .replace("sha256:2222", "sha256:6666").getBytes(StandardCharsets.UTF_8) : e.value();
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(copy, e.envelope().subject(), value);
                e.headers().forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
                producer.send(record).get();
            }
        }
        Output tampered = audit("--topics", String.join(",", prefix + "catalog.changes", copy,
                prefix + "catalog.mirrored", prefix + "rollout.events"), "verify");
        assertThat(tampered.code).isEqualTo(3);
        assertThat(tampered.text).contains("ALTERED event " + victim.envelope().id())
                .contains("first bad event: " + victim.envelope().id());
    }

    private Output audit(String... args) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-servers", SharedKafka.bootstrapServers()));
        if (!List.of(args).contains("--topics")) {
            all.addAll(List.of("--topics", String.join(",", prefix + "catalog.changes", prefix + "catalog.builds",
                    prefix + "catalog.mirrored", prefix + "rollout.events")));
        }
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AuditCommand.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Output(code, out + err.toString());
    }

    private record Output(int code, String text) {
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", SharedKafka.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static Clock clock(Instant at) {
        return Clock.fixed(at, ZoneOffset.UTC);
    }

    /** Content these events name but nothing here reads: the audit works from the events alone. */
    private static ContentRef content(String image) {
        return new ContentRef(image, ContentTypes.MAPPING, 0, 0);
    }
}
