package dev.catalogautopilot.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import dev.catalogautopilot.events.rollout.ClusterFailed;
import dev.catalogautopilot.events.rollout.RolloutEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventEnvelopeTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-04T10:15:30.123456789Z"), ZoneOffset.UTC);
    private static final Clock LATER = Clock.offset(CLOCK, Duration.ofMinutes(5));

    private final EventEnvelope<CatalogChanged> changed =
            EventEnvelope.first(EventSources.WATCHER, "redhat-operators", EventExamples.catalogChanged(), CLOCK);

    @Test
    void firstStartsACorrelation() {
        assertThat(changed.correlationId()).isEqualTo(changed.id());
        assertThat(changed.causationId()).isNull();
        assertThat(changed.type()).isEqualTo("dev.catalogautopilot.catalog.changed.v1");
        assertThat(changed.subject()).isEqualTo("redhat-operators");
        assertThat(changed.source()).isEqualTo("/catalog-autopilot/watcher-service");
        assertThat(changed.time()).isEqualTo(Instant.parse("2025-03-04T10:15:30.123Z"));
        assertThat(EventEnvelope.first(EventSources.WATCHER, "redhat-operators", changed.data(), CLOCK).id())
                .isNotEqualTo(changed.id());
    }

    @Test
    void firstWithAnOriginKeyIsDeterministic() {
        CatalogChanged data = EventExamples.catalogChanged();

        EventEnvelope<CatalogChanged> once = EventEnvelope.first(EventSources.WATCHER, data.catalog(), data,
                data.revision(), CLOCK);
        EventEnvelope<CatalogChanged> again = EventEnvelope.first(EventSources.WATCHER, data.catalog(), data,
                data.revision(), LATER);

        assertThat(again.id()).isEqualTo(once.id());
        assertThat(once.correlationId()).isEqualTo(once.id());
        assertThat(EventEnvelope.first(EventSources.WATCHER, data.catalog(), data, "sha256:other", CLOCK).id())
                .isNotEqualTo(once.id());
    }

    @Test
    void causedByCarriesCorrelationAndDerivesTheIdFromTheCause() {
        EventEnvelope<CatalogBuilt> built =
                EventEnvelope.causedBy(changed, EventSources.BUILDER, EventExamples.catalogBuilt(), CLOCK);
        EventEnvelope<CatalogBuilt> redelivered =
                EventEnvelope.causedBy(changed, EventSources.BUILDER, EventExamples.catalogBuilt(), LATER);

        assertThat(built.correlationId()).isEqualTo(changed.correlationId());
        assertThat(built.causationId()).isEqualTo(changed.id());
        assertThat(built.id()).isEqualTo(EventIds.derive(changed.id(), CatalogBuilt.TYPE.name()))
                .isEqualTo(redelivered.id())
                .isNotEqualTo(changed.id());
        assertThat(built.subject()).isEqualTo("redhat-operators");
    }

    @Test
    void discriminatorSeparatesSiblingEvents() {
        EventEnvelope<CatalogBuilt> built =
                EventEnvelope.causedBy(changed, EventSources.BUILDER, EventExamples.catalogBuilt(), CLOCK);
        MirrorJobRequested strimzi = EventExamples.mirrorJobRequested();
        MirrorJobRequested etcd = new MirrorJobRequested(strimzi.planId(), strimzi.catalog(),
                EventExamples.ETCD_OPERATOR, "mirror.example.com:5000/coreos/etcd-operator:66a3", 1);

        var first = EventEnvelope.causedBy(built, EventSources.MIRROR, strimzi, strimzi.source(), CLOCK);
        var second = EventEnvelope.causedBy(built, EventSources.MIRROR, etcd, etcd.source(), CLOCK);
        var fromStoredCause = EventEnvelope.causedBy(built.asCause(), EventSources.MIRROR, strimzi,
                strimzi.source(), LATER);

        assertThat(first.id()).isNotEqualTo(second.id());
        assertThat(fromStoredCause.id()).isEqualTo(first.id());
        assertThat(fromStoredCause.correlationId()).isEqualTo(changed.id());
        assertThat(fromStoredCause.causationId()).isEqualTo(built.id());
    }

    @Test
    void extensionsNameCorrelationAndCausation() {
        EventEnvelope<CatalogBuilt> built =
                EventEnvelope.causedBy(changed, EventSources.BUILDER, EventExamples.catalogBuilt(), CLOCK);

        assertThat(changed.extensions()).containsExactly(Map.entry("correlationid", changed.id()));
        assertThat(built.extensions()).containsExactly(
                Map.entry("correlationid", changed.id()), Map.entry("causationid", changed.id()));
    }

    @Test
    void asTypesTheDataOrSaysWhatItCarries() {
        EventEnvelope<?> any = EventEnvelope.causedBy(changed, EventSources.ROLLOUT,
                new ClusterFailed("redhat-operators", "r1", "prod-east-1", 2, "timeout"), "prod-east-1", CLOCK);

        assertThat(any.as(RolloutEvent.class).data().rolloutId()).isEqualTo("r1");
        assertThat(any.as(ClusterFailed.class).data().cluster()).isEqualTo("prod-east-1");
        assertThatThrownBy(() -> any.as(CatalogBuilt.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ClusterFailed");
    }

    @Test
    void rejectsAnEnvelopeThatContradictsItsData() {
        CatalogBuilt data = EventExamples.catalogBuilt();

        assertThatThrownBy(() -> new EventEnvelope<>("id", "src", CatalogChanged.TYPE.name(), "redhat-operators",
                Instant.EPOCH, "corr", null, data)).hasMessageContaining("does not match");
        assertThatThrownBy(() -> new EventEnvelope<>("id", "src", CatalogBuilt.TYPE.name(), "other-catalog",
                Instant.EPOCH, "corr", null, data)).hasMessageContaining("subject");
        assertThatThrownBy(() -> EventEnvelope.first(EventSources.BUILDER, "other-catalog", data, CLOCK))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EventEnvelope<>(" ", "src", CatalogBuilt.TYPE.name(), "redhat-operators",
                Instant.EPOCH, "corr", null, data)).hasMessageContaining("id");
    }
}
