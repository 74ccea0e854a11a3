package dev.catalogautopilot.audit.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetComparisonTest {

    private static final Instant T0 = Instant.parse("2026-05-01T08:00:00.123Z");
    private static final FleetCell EAST = new FleetCell("east", "community", "m/c@sha256:1", "sha256:1", "CURRENT",
            T0, "mirrored-1", "r1", T0);

    @Test
    void equalMatricesHaveNoDifference() {
        FleetCell sameInstantsParsedAgain = new FleetCell("east", "community", "m/c@sha256:1", "sha256:1", "CURRENT",
                Instant.parse("2026-05-01T08:00:00.123000Z"), "mirrored-1", "r1", Instant.parse(T0.toString()));

        assertThat(FleetComparison.compare(List.of(EAST), List.of(sameInstantsParsedAgain))).isEmpty();
    }

    @Test
    void namesEveryDifferingFieldAndEveryMissingCell() {
        FleetCell liveEast = new FleetCell("east", "community", "m/c@sha256:2", "sha256:2", "CURRENT",
                T0.plusSeconds(60), "mirrored-2", "r2", T0.plusSeconds(60));
        FleetCell liveWest = new FleetCell("west", "community", null, null, "FAILED", null, "mirrored-2", "r2",
                T0.plusSeconds(61));

        List<FleetDifference> differences = FleetComparison.compare(List.of(EAST), List.of(liveEast, liveWest));

        assertThat(differences).extracting(FleetDifference::field).containsExactly("image", "digest", "since",
                "causedBy", "rolloutId", "updatedAt", "cell");
        assertThat(differences.get(0)).isEqualTo(new FleetDifference("east", "community", "image", "m/c@sha256:1",
                "m/c@sha256:2"));
        assertThat(differences.get(6)).isEqualTo(new FleetDifference("west", "community", "cell", "absent",
                "present"));
        assertThat(FleetComparison.compare(List.of(EAST), List.of())).containsExactly(
                new FleetDifference("east", "community", "cell", "present", "absent"));
    }
}
