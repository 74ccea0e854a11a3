package dev.catalogautopilot.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.events.Cause;
import dev.catalogautopilot.events.ContentRef;
import dev.catalogautopilot.events.ContentTypes;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.catalog.UpstreamSource;
import dev.catalogautopilot.events.catalog.WatchTrigger;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.mirror.MirrorStats;
import dev.catalogautopilot.events.rollout.ClusterUpdated;
import dev.catalogautopilot.events.rollout.MirrorSetOutcome;
import dev.catalogautopilot.events.rollout.RolloutAction;
import dev.catalogautopilot.events.rollout.RolloutActionRecorded;
import dev.catalogautopilot.events.rollout.RolloutStarted;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PointInTimeTest {

    private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
    private static final String CATALOG = "community";

    private final List<AuditEvent> log = new ArrayList<>();

    @Test
    void aReDrivenRunIsTracedToTheUpstreamChangeOfTheBuildItReplays() {
        EventEnvelope<CatalogMirrored> first = run("rev-1", "mirror.local/olm/community@sha256:1111", 0);
        run("rev-2", "mirror.local/olm/community@sha256:2222", 100);
        // The re-drive's first events (same millisecond) both name the replayed event as cause.
        Cause redrive = new Cause(first.id(), "redrive-run");
        add(EventEnvelope.causedBy(redrive, EventSources.ROLLOUT, new RolloutActionRecorded(CATALOG, "r3",
                RolloutAction.REDRIVE, "alice", null, "back to rev-1"), "REDRIVE:1", at(200)));
        EventEnvelope<RolloutStarted> started = EventEnvelope.causedBy(redrive, EventSources.ROLLOUT,
                new RolloutStarted(CATALOG, "r3", first.data().catalogImage(), List.of(), null), "REDRIVE:1", at(200));
        add(started);
        add(EventEnvelope.causedBy(started, EventSources.ROLLOUT, new ClusterUpdated(CATALOG, "r3", "east", 0, null,
                first.data().catalogImage(), MirrorSetOutcome.UNCHANGED, T0.plusSeconds(210)), "east", at(210)));

        PointInTime.Answer answer = PointInTime.imageAt(log, "east", CATALOG, T0.plusSeconds(300)).orElseThrow();

        assertThat(answer.image()).endsWith("@sha256:1111");
        assertThat(answer.since().envelope().correlationId()).isEqualTo("redrive-run");
        assertThat(((CatalogChanged) answer.upstreamChange().envelope().data()).revision()).isEqualTo("rev-1");
        assertThat(PointInTime.imageAt(log, "east", CATALOG, T0.plusSeconds(150)).orElseThrow().upstreamChange()
                .envelope().data()).extracting("revision").isEqualTo("rev-2");
    }

    private EventEnvelope<CatalogMirrored> run(String revision, String image, int second) {
        EventEnvelope<CatalogChanged> changed = EventEnvelope.first(EventSources.WATCHER, CATALOG,
                new CatalogChanged(CATALOG, new UpstreamSource.AppRegistry("http://cnr", "ns"), WatchTrigger.POLL,
                        revision, null, List.of(), List.of(), List.of(), List.of(), null, T0), at(second));
        EventEnvelope<CatalogMirrored> mirrored = EventEnvelope.causedBy(changed, EventSources.MIRROR,
                new CatalogMirrored(CATALOG, "plan-" + revision, image, image, content(image), content(image),
                        content(image), MirrorStats.ZERO, 1, 0, null), at(second + 10));
        EventEnvelope<RolloutStarted> started = EventEnvelope.causedBy(mirrored, EventSources.ROLLOUT,
                new RolloutStarted(CATALOG, "r-" + revision, image, List.of(), null), at(second + 20));
        add(changed);
        add(mirrored);
        add(started);
        add(EventEnvelope.causedBy(started, EventSources.ROLLOUT, new ClusterUpdated(CATALOG, "r-" + revision, "east",
                0, null, image, MirrorSetOutcome.APPLIED, T0.plusSeconds(second + 30)), "east", at(second + 30)));
        return mirrored;
    }

    private void add(EventEnvelope<?> event) {
        log.add(new AuditEvent("t", 0, log.size(), Map.of(), new byte[0], event));
    }

    private static Clock at(int second) {
        return Clock.fixed(T0.plusSeconds(second), ZoneOffset.UTC);
    }

    /** Content these events name but nothing here reads: the audit works from the events alone. */
    private static ContentRef content(String image) {
        return new ContentRef(image, ContentTypes.MAPPING, 0, 0);
    }
}
