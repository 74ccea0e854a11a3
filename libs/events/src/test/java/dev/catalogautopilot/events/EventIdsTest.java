package dev.catalogautopilot.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    private static final String CAUSE = "0b7c4a0e-1d2f-5a3b-9c4d-5e6f7a8b9c0d";
    private static final String JOB = "dev.catalogautopilot.mirror.job.requested.v1";

    @Test
    void nameBasedIsStandardUuidVersion5() {
        UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

        UUID id = EventIds.nameBased(dns, "python.org");

        assertThat(id).hasToString("886313e1-3b8a-5372-9b90-0c9aee199e5d");
        assertThat(id.version()).isEqualTo(5);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void sameInputsGiveTheSameId() {
        assertThat(EventIds.derive(CAUSE, JOB, "quay.io/strimzi/operator@sha256:0e37"))
                .isEqualTo(EventIds.derive(CAUSE, JOB, "quay.io/strimzi/operator@sha256:0e37"));
        assertThat(EventIds.derive(CAUSE, JOB)).isEqualTo(EventIds.derive(CAUSE, JOB));
        assertThat(EventIds.origin("t.v1", "redhat-operators", "sha256:01"))
                .isEqualTo(EventIds.origin("t.v1", "redhat-operators", "sha256:01"));
    }

    @Test
    void idsAreStableAcrossReleases() {
        // Pinned, computed independently with Python's uuid.uuid5: a different value would mean replayed events
        // no longer match the ids in consumers' processed-events tables.
        assertThat(EventIds.derive(CAUSE, JOB, "quay.io/strimzi/operator@sha256:0e37"))
                .isEqualTo("7b8ae1be-5015-537d-bf6b-5d02534736e6");
    }

    @Test
    void differentDiscriminatorCauseOrTypeGivesADifferentId() {
        String base = EventIds.derive(CAUSE, JOB, "quay.io/strimzi/operator@sha256:0e37");

        assertThat(EventIds.derive(CAUSE, JOB, "quay.io/coreos/etcd-operator@sha256:66a3")).isNotEqualTo(base);
        assertThat(EventIds.derive(CAUSE, JOB)).isNotEqualTo(base);
        assertThat(EventIds.derive(EventIds.random(), JOB, "quay.io/strimzi/operator@sha256:0e37")).isNotEqualTo(base);
        assertThat(EventIds.derive(CAUSE, "dev.catalogautopilot.mirror.job.completed.v1",
                "quay.io/strimzi/operator@sha256:0e37")).isNotEqualTo(base);
    }

    @Test
    void partsCannotBeShiftedIntoEachOther() {
        assertThat(EventIds.derive("a|1:b", "c", "d")).isNotEqualTo(EventIds.derive("a", "b|1:c", "d"));
        assertThat(EventIds.derive("ab", "c")).isNotEqualTo(EventIds.derive("a", "bc"));
        assertThat(EventIds.origin("t", "s", "k")).isNotEqualTo(EventIds.derive("t", "s", "k"));
    }

    @Test
    void derivedIdsAreVersion5Uuids() {
        assertThat(UUID.fromString(EventIds.derive(CAUSE, JOB)).version()).isEqualTo(5);
        assertThat(UUID.fromString(EventIds.random()).version()).isEqualTo(4);
    }

    @Test
    void rejectsEmptyParts() {
        assertThatThrownBy(() -> EventIds.derive(CAUSE, JOB, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventIds.derive(CAUSE, JOB, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> EventIds.derive("", JOB)).isInstanceOf(IllegalArgumentException.class);
    }
}
