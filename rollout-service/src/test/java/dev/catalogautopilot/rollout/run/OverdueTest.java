package dev.catalogautopilot.rollout.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverdueTest {

    private static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(5);
    private static final Duration BOUND = Duration.ofMinutes(2);

    @Test
    void aWorkerIsOverdueOnlyOnceTheBoundHasPassedAfterTheEndOfItsOwnWindow() {
        Map<String, Overdue.Due> workers = Map.of(
                // Handed its cluster long ago, but its window opened only a minute ago: not stuck.
                "r/late-start", new Overdue.Due(NOW.minus(Duration.ofHours(1)), WINDOW, NOW.plus(Duration.ofMinutes(4))),
                "r/just-past", new Overdue.Due(NOW.minus(Duration.ofMinutes(6)), WINDOW, NOW.minus(Duration.ofMinutes(1))),
                "r/stuck", new Overdue.Due(NOW.minus(Duration.ofMinutes(9)), WINDOW, NOW.minus(Duration.ofMinutes(3))));

        assertThat(Overdue.find(workers, NOW, BOUND)).containsExactly("r/stuck");
    }

    @Test
    void aWorkerThatNeverOpenedItsWindowIsDueAWholeWindowAfterItWasHandedTheCluster() {
        Map<String, Overdue.Due> workers = Map.of(
                "r/queued", new Overdue.Due(NOW.minus(Duration.ofMinutes(6)), WINDOW, null),
                "r/never-ran", new Overdue.Due(NOW.minus(Duration.ofMinutes(8)), WINDOW, null));

        assertThat(Overdue.find(workers, NOW, BOUND)).containsExactly("r/never-ran");
    }
}
