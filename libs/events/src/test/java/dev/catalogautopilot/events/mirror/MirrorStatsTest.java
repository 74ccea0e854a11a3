package dev.catalogautopilot.events.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MirrorStatsTest {

    @Test
    void sumsPlanTotalsFieldByField() {
        MirrorStats total = Stream.of(
                        new MirrorStats(1_000, 2, 1, 0, 1, 40),
                        new MirrorStats(0, 0, 3, 0, 1, 5),
                        new MirrorStats(500, 1, 0, 2, 3, 70))
                .reduce(MirrorStats.ZERO, MirrorStats::plus);

        assertThat(total).isEqualTo(new MirrorStats(1_500, 3, 4, 2, 5, 115));
    }
}
