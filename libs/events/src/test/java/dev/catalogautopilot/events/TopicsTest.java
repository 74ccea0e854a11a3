package dev.catalogautopilot.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void namesThePipelineTopicsInFlowOrder() {
        assertThat(Topics.all()).containsExactly("catalog.changes", "catalog.builds", "mirror.jobs",
                "mirror.results", "catalog.mirrored", "rollout.events");
    }

    @Test
    void everyTopicHasADeadLetterTopic() {
        assertThat(Topics.deadLetter(Topics.MIRROR_JOBS)).isEqualTo("mirror.jobs.dlq");
        assertThat(Topics.allWithDeadLetters()).hasSize(12).contains("rollout.events.dlq", "catalog.changes");
        assertThatThrownBy(() -> Topics.deadLetter("mirror.jobs.dlq")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsEventsForeverAndNeverCompacts() {
        assertThat(Topics.config())
                .containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", "-1")
                .containsEntry("retention.bytes", "-1");
    }

    @Test
    void recommendsMorePartitionsForMirrorJobs() {
        assertThat(Topics.recommendedPartitions(Topics.MIRROR_JOBS)).isEqualTo(12);
        assertThat(Topics.recommendedPartitions(Topics.CATALOG_BUILDS)).isEqualTo(3);
        assertThat(Topics.recommendedPartitions("catalog.builds.dlq")).isEqualTo(1);
    }
}
