package dev.catalogautopilot.testing.appregistry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SemanticVersionTest {

    @Test
    void ordersBySemverPrecedence() {
        List<String> versions = new ArrayList<>(List.of("1.0.10", "1.0.9", "1.0.0", "1.0.0-rc1", "1.0.0-m4",
                "0.9.4-clusterwide", "0.9.4", "not-a-version", "1.0.0-alpha.10", "1.0.0-alpha.2"));

        versions.sort(SemanticVersion.ORDER);

        assertThat(versions).containsExactly("not-a-version", "0.9.4-clusterwide", "0.9.4", "1.0.0-alpha.2",
                "1.0.0-alpha.10", "1.0.0-m4", "1.0.0-rc1", "1.0.0", "1.0.9", "1.0.10");
    }

    @Test
    void nextPatchDropsPreRelease() {
        assertThat(SemanticVersion.parse("1.0.9").orElseThrow().nextPatch()).hasToString("1.0.10");
        assertThat(SemanticVersion.parse("2.3.4-rc.1+build.5").orElseThrow().nextPatch()).hasToString("2.3.5");
        assertThat(SemanticVersion.parse("1.0")).isEmpty();
    }
}
