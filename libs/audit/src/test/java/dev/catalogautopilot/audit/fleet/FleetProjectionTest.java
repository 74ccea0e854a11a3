package dev.catalogautopilot.audit.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.audit.AuditEvent;
import dev.catalogautopilot.events.Cause;
import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.rollout.ClusterFailed;
import dev.catalogautopilot.events.rollout.ClusterRolledBack;
import dev.catalogautopilot.events.rollout.ClusterUpdated;
import dev.catalogautopilot.events.rollout.MirrorSetOutcome;
import dev.catalogautopilot.events.rollout.RolloutStarted;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetProjectionTest {

    private static final Instant T0 = Instant.parse("2026-05-01T08:00:00.123Z");
    private static final String CATALOG = "community";
    private static final String V1 = "mirror.local/olm/community@sha256:" + "1".repeat(64);
    private static final String V2 = "mirror.local/olm/community@sha256:" + "2".repeat(64);

    private final List<AuditEvent> log = new ArrayList<>();

    @Test
    void verifiedClusterIsCurrentAtTheRolloutsImageCausedByItsCatalogMirroredEvent() {
        started("r1", "mirrored-1", 0);
        updated("r1", "east", V1, 5);

        assertThat(FleetProjection.of(log)).containsExactly(new FleetCell("east", CATALOG, V1,
                "sha256:" + "1".repeat(64), "CURRENT", T0.plusSeconds(5), "mirrored-1", "r1", T0.plusSeconds(5)));
    }

    @Test
    void sinceMovesOnlyWhenTheImageChanges() {
        started("r1", "mirrored-1", 0);
        updated("r1", "east", V1, 5);
        started("r2", "mirrored-1b", 10);
        updated("r2", "east", V1, 15);
        started("r3", "mirrored-2", 20);
        updated("r3", "east", V2, 25);

        List<FleetCell> cells = FleetProjection.of(log);

        assertThat(cells).singleElement().satisfies(cell -> {
            assertThat(cell.image()).isEqualTo(V2);
            assertThat(cell.since()).isEqualTo(T0.plusSeconds(25));
            assertThat(cell.causedBy()).isEqualTo("mirrored-2");
        });
        log.subList(4, 6).clear();
        assertThat(FleetProjection.of(log)).singleElement().satisfies(cell -> {
            assertThat(cell.since()).as("re-verified at the same image").isEqualTo(T0.plusSeconds(5));
            assertThat(cell.updatedAt()).isEqualTo(T0.plusSeconds(15));
            assertThat(cell.rolloutId()).isEqualTo("r2");
        });
    }

    @Test
    void rolledBackClusterRunsTheRestoredImageSinceTheRollback() {
        started("r1", "mirrored-1", 0);
        updated("r1", "east", V1, 5);
        started("r2", "mirrored-2", 10);
        add(new ClusterFailed(CATALOG, "r2", "east", 0, "not READY", V1, false), "r2", "east", 20);
        add(new ClusterRolledBack(CATALOG, "r2", "east", 0, V1), "r2", "east", 20);

        assertThat(FleetProjection.of(log)).singleElement().satisfies(cell -> {
            assertThat(cell.state()).isEqualTo("ROLLED_BACK");
            assertThat(cell.image()).isEqualTo(V1);
            assertThat(cell.since()).as("the image did not change").isEqualTo(T0.plusSeconds(5));
            assertThat(cell.causedBy()).isEqualTo("mirrored-2");
            assertThat(cell.rolloutId()).isEqualTo("r2");
        });
    }

    @Test
    void aCellFirstSeenOnAFailureHasNoSinceAndUnknownKeepsTheImage() {
        started("r1", "mirrored-1", 0);
        add(new ClusterFailed(CATALOG, "r1", "east", 0, "not READY", V1, false), "r1", "east", 5);
        add(new ClusterRolledBack(CATALOG, "r1", "east", 0, V1), "r1", "east", 5);
        add(new ClusterFailed(CATALOG, "r1", "west", 0, "unreachable", null, false), "r1", "west", 6);
        started("r2", "mirrored-2", 10);
        add(new ClusterFailed(CATALOG, "r2", "east", 0, "rollback failed", null, true), "r2", "east", 15);

        assertThat(FleetProjection.of(log)).containsExactly(
                new FleetCell("east", CATALOG, V1, "sha256:" + "1".repeat(64), "UNKNOWN", null, "mirrored-2", "r2",
                        T0.plusSeconds(15)),
                new FleetCell("west", CATALOG, null, null, "FAILED", null, "mirrored-1", "r1", T0.plusSeconds(6)));
    }

    @Test
    void republishedEventsCountOnceAndCatalogsAreSeparateCells() {
        started("r1", "mirrored-1", 0);
        updated("r1", "east", V1, 5);
        started("r2", "mirrored-2", 10);
        updated("r2", "east", V2, 15);
        AuditEvent republishedOld = log.get(1);
        log.add(new AuditEvent(republishedOld.topic(), 0, log.size(), Map.of(), new byte[0],
                republishedOld.envelope()));
        EventEnvelope<ClusterUpdated> other = EventEnvelope.causedBy(new Cause("o1", "run"), EventSources.ROLLOUT,
                new ClusterUpdated("other", "o1", "east", 0, null, "mirror.local/olm/other:v1",
                        MirrorSetOutcome.APPLIED, T0), "east", Clock.fixed(T0, ZoneOffset.UTC));
        log.add(new AuditEvent("rollout.events", 1, 0, Map.of(), new byte[0], other));

        assertThat(FleetProjection.of(log)).extracting(FleetCell::catalog, FleetCell::image, FleetCell::digest)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(CATALOG, V2, "sha256:" + "2".repeat(64)),
                        org.assertj.core.groups.Tuple.tuple("other", "mirror.local/olm/other:v1", null));
    }

    private void started(String rolloutId, String mirroredEventId, int second) {
        EventEnvelope<RolloutStarted> started = EventEnvelope.causedBy(new Cause(mirroredEventId, "run-" + rolloutId),
                EventSources.ROLLOUT, new RolloutStarted(CATALOG, rolloutId, V1, List.of(), null),
                Clock.fixed(T0.plusSeconds(second), ZoneOffset.UTC));
        log.add(new AuditEvent("rollout.events", 0, log.size(), Map.of(), new byte[0], started));
    }

    private void updated(String rolloutId, String cluster, String image, int second) {
        add(new ClusterUpdated(CATALOG, rolloutId, cluster, 0, null, image, MirrorSetOutcome.APPLIED,
                T0.plusSeconds(second)), rolloutId, cluster, second);
    }

    private void add(EventData data, String rolloutId, String cluster, int second) {
        EventEnvelope<?> event = EventEnvelope.causedBy(new Cause(rolloutId, "run-" + rolloutId), EventSources.ROLLOUT,
                data, cluster, Clock.fixed(T0.plusSeconds(second), ZoneOffset.UTC));
        log.add(new AuditEvent("rollout.events", 0, log.size(), Map.of(), new byte[0], event));
    }
}
