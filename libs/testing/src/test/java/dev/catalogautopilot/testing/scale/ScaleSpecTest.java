package dev.catalogautopilot.testing.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ScaleSpecTest {

    @Test
    void namedSizesAreTheIssuesTargetAndATenthOfIt() {
        assertThat(ScaleSpec.parse("target")).isEqualTo(new ScaleSpec(300, 10_000, 30_000, 3_000));
        assertThat(ScaleSpec.parse(" Moderate ")).isEqualTo(new ScaleSpec(30, 1_000, 3_000, 300));
    }

    @Test
    void aPackageCountKeepsTheTargetsShapePerPackage() {
        assertThat(ScaleSpec.parse("60")).isEqualTo(new ScaleSpec(60, 2_000, 6_000, 600));
        assertThat(ScaleSpec.parse("300")).isEqualTo(ScaleSpec.TARGET);
    }

    @Test
    void fourNumbersAreTakenAsGiven() {
        assertThat(ScaleSpec.parse("30,1000,3000,300")).isEqualTo(ScaleSpec.MODERATE);
    }

    @Test
    void sizesThatCannotBeBuiltAreRejected() {
        assertThatThrownBy(() -> ScaleSpec.parse("big")).hasMessageContaining("not a catalog size");
        assertThatThrownBy(() -> new ScaleSpec(10, 5, 100, 10)).hasMessageContaining("every package needs a bundle");
        assertThatThrownBy(() -> new ScaleSpec(10, 50, 40, 10)).hasMessageContaining("every bundle");
        assertThatThrownBy(() -> new ScaleSpec(10, 50, 100, 5)).hasMessageContaining("repository");
    }

    @Test
    void sharesAddUpAndStartsAreContiguous() {
        int total = 10_007;
        int slots = 300;
        assertThat(IntStream.range(0, slots).map(i -> ScaleSpec.share(total, slots, i)).sum()).isEqualTo(total);
        for (int i = 0; i < slots; i++) {
            assertThat(ScaleSpec.start(total, slots, i + 1))
                    .isEqualTo(ScaleSpec.start(total, slots, i) + ScaleSpec.share(total, slots, i));
        }
        assertThat(ScaleSpec.start(total, slots, slots)).isEqualTo(total);
    }
}
