package dev.catalogautopilot.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.catalog.UpstreamSource;
import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import dev.catalogautopilot.events.rollout.ClusterFailed;
import dev.catalogautopilot.events.rollout.ClusterUpdated;
import dev.catalogautopilot.events.rollout.MirrorSetOutcome;
import dev.catalogautopilot.events.rollout.RolloutAction;
import dev.catalogautopilot.events.rollout.RolloutActionRecorded;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventJsonTest {

    static Stream<EventData> examples() {
        return Stream.concat(EventExamples.all().stream(), Stream.of(EventExamples.indexImageChanged()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyEventRecordSurvivesJson(EventData example) {
        byte[] json = EventJson.toBytes(example);

        EventData decoded = EventCatalog.decode(EventCatalog.typeOf(example).name(), json);

        assertThat(decoded).isEqualTo(example);
        assertThat(EventJson.read(EventJson.toPrettyJson(example), example.getClass())).isEqualTo(example);
    }

    @Test
    void unknownFieldsAreIgnoredAtEveryLevel() throws Exception {
        ObjectNode json = (ObjectNode) EventJson.newMapper().readTree(EventJson.toBytes(EventExamples.catalogBuilt()));
        json.put("addedInV1Later", "ignored");
        json.putObject("nested").put("x", 1);
        ((ObjectNode) json.get("counts")).put("operators", 99);
        ((ObjectNode) json.get("platforms").get(0)).put("osVersion", "10.0");

        CatalogBuilt decoded = EventJson.read(json.toString(), CatalogBuilt.class);

        assertThat(decoded).isEqualTo(EventExamples.catalogBuilt());
    }

    @Test
    void missingListsDecodeAsEmptyAndMissingOptionalsAsNull() {
        String json = """
                {"catalog":"redhat-operators","source":{"kind":"INDEX_IMAGE","image":"example.com/index:v1"},
                 "trigger":"POLL","revision":"sha256:01"}
                """;

        CatalogChanged decoded = EventJson.read(json, CatalogChanged.class);

        assertThat(decoded.packages()).isEmpty();
        assertThat(decoded.added()).isEmpty();
        assertThat(decoded.removed()).isEmpty();
        assertThat(decoded.previousRevision()).isNull();
        assertThat(decoded.indexImage()).isNull();
        assertThat(decoded.source()).isEqualTo(new UpstreamSource.IndexImage("example.com/index:v1"));
    }

    @Test
    void rolloutEventsWrittenBeforeTheirLaterFieldsStillRead() {
        ClusterFailed failed = EventJson.read("""
                {"catalog":"c","rolloutId":"r","cluster":"k","wave":1,"reason":"timeout"}
                """, ClusterFailed.class);
        RolloutActionRecorded action = EventJson.read("""
                {"catalog":"c","rolloutId":"r","action":"PAUSE","actor":"alice"}
                """, RolloutActionRecorded.class);

        assertThat(failed).isEqualTo(new ClusterFailed("c", "r", "k", 1, "timeout", null, false));
        assertThat(action).isEqualTo(new RolloutActionRecorded("c", "r", RolloutAction.PAUSE, "alice", null, null));
    }

    @Test
    void writesInstantsAsIsoStringsAndLeavesNullsOut() throws Exception {
        JsonNode json = EventJson.newMapper().readTree(EventJson.toBytes(EventExamples.catalogChanged()));

        assertThat(json.get("detectedAt").asText()).isEqualTo("2025-03-04T10:15:30.123Z");
        assertThat(json.has("indexImage")).isFalse();
        assertThat(json.get("source").get("kind").asText()).isEqualTo("APP_REGISTRY");
        assertThat(json.get("updated").get(0).get("previousRelease").asText()).isEqualTo("0.23.0");
        assertThat(json.get("added").get(0).has("previousRelease")).isFalse();
    }

    @Test
    void writesFieldNamesOfTheContract() {
        String diff = EventJson.toJson(EventExamples.catalogBuilt().diff());
        String updated = EventJson.toJson(new ClusterUpdated("c", "r", "k", 0, null, "img",
                MirrorSetOutcome.APPLIED, EventExamples.T0));

        assertThat(diff).contains("\"package\":\"strimzi-kafka-operator\"").doesNotContain("packageName")
                .doesNotContain("\"empty\"");
        assertThat(updated).contains("\"mirrorSet\":\"APPLIED\"")
                .contains("\"verifiedAt\":\"2025-03-04T10:15:30.123Z\"");
    }

    @Test
    void rejectsJsonMissingARequiredField() {
        String json = "{\"planId\":\"p\",\"source\":\"a@sha256:00\",\"target\":\"b:1\",\"attempt\":1}";

        assertThatThrownBy(() -> EventJson.read(json.getBytes(StandardCharsets.UTF_8), MirrorJobRequested.class))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("catalog");
    }

    @Test
    void rejectsSomethingThatIsNotJson() {
        assertThatThrownBy(() -> EventJson.read("not json", CatalogBuilt.class))
                .isInstanceOf(EventDecodingException.class);
        assertThatThrownBy(() -> EventJson.read((byte[]) null, CatalogBuilt.class))
                .isInstanceOf(EventDecodingException.class);
    }
}
