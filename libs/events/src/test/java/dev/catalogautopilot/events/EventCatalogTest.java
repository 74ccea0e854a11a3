package dev.catalogautopilot.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCatalogTest {

    @Test
    void registersEveryTypeOnceWithVersionedNames() {
        assertThat(EventCatalog.typeNames()).containsExactly(
                "dev.catalogautopilot.catalog.changed.v1",
                "dev.catalogautopilot.catalog.watch-failed.v1",
                "dev.catalogautopilot.catalog.built.v1",
                "dev.catalogautopilot.catalog.build-failed.v1",
                "dev.catalogautopilot.mirror.job.requested.v1",
                "dev.catalogautopilot.mirror.job.completed.v1",
                "dev.catalogautopilot.mirror.job.failed.v1",
                "dev.catalogautopilot.catalog.mirrored.v1",
                "dev.catalogautopilot.catalog.mirror-failed.v1",
                "dev.catalogautopilot.rollout.started.v1",
                "dev.catalogautopilot.rollout.wave.started.v1",
                "dev.catalogautopilot.rollout.cluster.updated.v1",
                "dev.catalogautopilot.rollout.cluster.failed.v1",
                "dev.catalogautopilot.rollout.cluster.rolled-back.v1",
                "dev.catalogautopilot.rollout.wave.completed.v1",
                "dev.catalogautopilot.rollout.completed.v1",
                "dev.catalogautopilot.rollout.halted.v1",
                "dev.catalogautopilot.rollout.superseded.v1",
                "dev.catalogautopilot.rollout.action.recorded.v1");
        assertThat(EventCatalog.types()).allSatisfy(type -> assertThat(type.version()).isEqualTo(1));
    }

    @Test
    void examplesCoverEveryType() {
        List<EventType<?>> exampleTypes = EventExamples.all().stream().<EventType<?>>map(EventCatalog::typeOf).toList();

        assertThat(exampleTypes).containsExactlyElementsOf(EventCatalog.types());
    }

    @Test
    void mapsTypeStringsAndClassesBothWays() {
        assertThat(EventCatalog.forName("dev.catalogautopilot.catalog.built.v1").dataClass())
                .isEqualTo(CatalogBuilt.class);
        assertThat(EventCatalog.forClass(CatalogBuilt.class)).isSameAs(CatalogBuilt.TYPE);
        assertThat(EventCatalog.isKnown("dev.catalogautopilot.catalog.built.v2")).isFalse();
        assertThat(EventCatalog.find("dev.catalogautopilot.catalog.built.v2")).isEmpty();
    }

    @Test
    void eachTypeBelongsToOneTopic() {
        assertThat(EventCatalog.typesOn(Topics.MIRROR_JOBS)).containsExactly(MirrorJobRequested.TYPE);
        assertThat(EventCatalog.typesOn(Topics.CATALOG_MIRRORED)).extracting(EventType::name).containsExactly(
                "dev.catalogautopilot.catalog.mirrored.v1", "dev.catalogautopilot.catalog.mirror-failed.v1");
        assertThat(EventCatalog.typesOn(Topics.ROLLOUT_EVENTS)).hasSize(10);
        assertThat(EventCatalog.types()).allSatisfy(type -> assertThat(Topics.all()).contains(type.topic()));
    }

    @Test
    void unknownTypeIsAClearError() {
        assertThatThrownBy(() -> EventCatalog.decode("dev.catalogautopilot.catalog.built.v2",
                "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnknownEventTypeException.class)
                .hasMessageContaining("unknown event type 'dev.catalogautopilot.catalog.built.v2'")
                .satisfies(e -> assertThat(((UnknownEventTypeException) e).type())
                        .isEqualTo("dev.catalogautopilot.catalog.built.v2"));
    }

    @Test
    void malformedDataNamesItsType() {
        assertThatThrownBy(() -> EventCatalog.decode(CatalogMirrored.TYPE.name(),
                "{\"catalog\":\"c\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventDecodingException.class)
                .isNotInstanceOf(UnknownEventTypeException.class)
                .hasMessageContaining("cannot decode dev.catalogautopilot.catalog.mirrored.v1 data");
    }

    @Test
    void rejectsBadTypeNames() {
        assertThatThrownBy(() -> new EventType<>("dev.catalogautopilot.catalog.built", CatalogBuilt.class, "t"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EventType<>("com.example.built.v1", CatalogBuilt.class, "t"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
