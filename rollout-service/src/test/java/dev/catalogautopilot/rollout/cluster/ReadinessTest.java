package dev.catalogautopilot.rollout.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    private static final String IMAGE = "mirror.example.com/olm/catalog@sha256:" + "ab".repeat(32);
    private static final Instant PATCH = Instant.parse("2025-03-04T11:02:40.700Z");
    private static final Readiness.Patch PATCHED = new Readiness.Patch(true, PATCH, "41");

    @Test
    void readyReportedAfterThePatchIsVerifiedEvenWithinTheSameSecond() {
        var status = new CatalogSourceStatus(IMAGE, "READY", Instant.parse("2025-03-04T11:02:40Z"), "43");
        assertThat(Readiness.evaluate(Optional.of(status), IMAGE, PATCHED).verified()).isTrue();
    }

    @Test
    void unknownMissingOrOtherStatesAreNeverSuccess() {
        assertThat(Readiness.evaluate(Optional.empty(), IMAGE, PATCHED).verified()).isFalse();
        assertThat(Readiness.evaluate(Optional.of(new CatalogSourceStatus(IMAGE, null, null, "42")), IMAGE, PATCHED))
                .satisfies(v -> {
                    assertThat(v.verified()).isFalse();
                    assertThat(v.observed()).contains("no connection state");
                });
        for (String state : new String[] {"CONNECTING", "TRANSIENT_FAILURE", "IDLE", "SHUTDOWN", "ready"}) {
            var status = new CatalogSourceStatus(IMAGE, state, PATCH.plusSeconds(5), "43");
            assertThat(Readiness.evaluate(Optional.of(status), IMAGE, PATCHED)).satisfies(v -> {
                assertThat(v.verified()).as(state).isFalse();
                assertThat(v.observed()).isEqualTo(state);
            });
        }
    }

    @Test
    void staleReadyFromBeforeThePatchDoesNotCount() {
        var earlier = new CatalogSourceStatus(IMAGE, "READY", Instant.parse("2025-03-04T11:02:39Z"), "43");
        var untouched = new CatalogSourceStatus(IMAGE, "READY", Instant.parse("2025-03-04T11:02:40Z"), "41");
        var noTime = new CatalogSourceStatus(IMAGE, "READY", null, "43");
        var otherImage = new CatalogSourceStatus("mirror.example.com/olm/catalog:old", "READY", PATCH.plusSeconds(9),
                "43");

        assertThat(Readiness.evaluate(Optional.of(earlier), IMAGE, PATCHED).verified()).isFalse();
        assertThat(Readiness.evaluate(Optional.of(untouched), IMAGE, PATCHED).verified()).isFalse();
        assertThat(Readiness.evaluate(Optional.of(noTime), IMAGE, PATCHED).verified()).isFalse();
        assertThat(Readiness.evaluate(Optional.of(otherImage), IMAGE, PATCHED).verified()).isFalse();
    }

    @Test
    void clusterAlreadyAtTheImageCountsWhenReady() {
        var status = new CatalogSourceStatus(IMAGE, "READY", Instant.parse("2020-01-01T00:00:00Z"), "7");
        assertThat(Readiness.evaluate(Optional.of(status), IMAGE, new Readiness.Patch(false, null, null)).verified())
                .isTrue();
    }
}
