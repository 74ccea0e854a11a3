package dev.catalogautopilot.builder.fbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class SemverTest {

    @Test
    void ordersByPrecedence() {
        List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10.0", "2.0.0");
        for (int i = 1; i < ordered.size(); i++) {
            assertThat(Semver.parse(ordered.get(i - 1))).as(ordered.get(i - 1) + " < " + ordered.get(i))
                    .isLessThan(Semver.parse(ordered.get(i)));
        }
        assertThat(Semver.parse("1.0.0+build.1").compareTo(Semver.parse("1.0.0"))).isZero();
    }

    @Test
    void rejectsWhatIsNotSemver() {
        assertThat(Semver.tryParse("1.0")).isEmpty();
        assertThat(Semver.tryParse("v1.0.0")).isEmpty();
        assertThat(Semver.tryParse("01.0.0")).isEmpty();
        assertThat(Semver.tryParse("0.9.4-clusterwide")).isPresent();
    }

    @Test
    void evaluatesOlmRanges() {
        Predicate<Semver> range = Semver.range(">=1.2.0 <2.0.0 || 3.0.0");
        assertThat(range.test(Semver.parse("1.2.0"))).isTrue();
        assertThat(range.test(Semver.parse("1.9.9"))).isTrue();
        assertThat(range.test(Semver.parse("2.0.0"))).isFalse();
        assertThat(range.test(Semver.parse("3.0.0"))).isTrue();
        assertThat(Semver.range("<0.2").test(Semver.parse("0.1.9"))).isTrue();
        assertThat(Semver.range("< 0.2.0").test(Semver.parse("0.2.0"))).isFalse();
    }
}
