package dev.catalogautopilot.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import org.junit.jupiter.api.Test;

class TopicKeysTest {

    @Test
    void mirrorJobsAreKeyedBySourceRepository() {
        assertThat(TopicKeys.keyOf(EventExamples.mirrorJobRequested())).isEqualTo("quay.io/strimzi/operator");
    }

    @Test
    void everythingElseIsKeyedByCatalog() {
        assertThat(EventExamples.all()).filteredOn(data -> !(data instanceof
                        MirrorJobRequested))
                .allSatisfy(data -> assertThat(TopicKeys.keyOf(data)).isEqualTo("redhat-operators"));
    }

    @Test
    void repositoryDropsTagAndDigestButKeepsThePort() {
        assertThat(TopicKeys.repositoryOf("quay.io/strimzi/operator:0.24.0")).isEqualTo("quay.io/strimzi/operator");
        assertThat(TopicKeys.repositoryOf("quay.io/strimzi/operator:0.24.0@sha256:0e37"))
                .isEqualTo("quay.io/strimzi/operator");
        assertThat(TopicKeys.repositoryOf("localhost:5000/strimzi/operator@sha256:0e37"))
                .isEqualTo("localhost:5000/strimzi/operator");
        assertThat(TopicKeys.repositoryOf("localhost:5000/operator")).isEqualTo("localhost:5000/operator");
        assertThat(TopicKeys.repositoryOf("adoptopenjdk/openjdk11:slim")).isEqualTo("adoptopenjdk/openjdk11");
        assertThatThrownBy(() -> TopicKeys.repositoryOf("@sha256:0e37")).isInstanceOf(IllegalArgumentException.class);
    }
}
