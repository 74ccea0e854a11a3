package dev.catalogautopilot.rollout.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

    private static final Map<String, String> PROD_EAST = Map.of("env", "prod", "region", "east",
            "topology.kubernetes.io/zone", "east-1a");

    @Test
    void equalityAndInequality() {
        assertThat(LabelSelector.parse("env=prod").matches(PROD_EAST)).isTrue();
        assertThat(LabelSelector.parse("env==prod").matches(PROD_EAST)).isTrue();
        assertThat(LabelSelector.parse("env=staging").matches(PROD_EAST)).isFalse();
        assertThat(LabelSelector.parse("env!=staging").matches(PROD_EAST)).isTrue();
        assertThat(LabelSelector.parse("tier!=gold").matches(PROD_EAST)).as("absent label is not gold").isTrue();
    }

    @Test
    void setBasedAndExistenceRequirementsAllMustHold() {
        assertThat(LabelSelector.parse("env in (prod, staging),region notin (west)").matches(PROD_EAST)).isTrue();
        assertThat(LabelSelector.parse("env in (prod,staging), region in (west)").matches(PROD_EAST)).isFalse();
        assertThat(LabelSelector.parse("topology.kubernetes.io/zone").matches(PROD_EAST)).isTrue();
        assertThat(LabelSelector.parse("!legacy,env").matches(PROD_EAST)).isTrue();
        assertThat(LabelSelector.parse("!region").matches(PROD_EAST)).isFalse();
    }

    @Test
    void emptySelectorMatchesEverything() {
        assertThat(LabelSelector.parse("").matches(Map.of())).isTrue();
        assertThat(LabelSelector.parse(null)).isEqualTo(LabelSelector.EVERYTHING);
    }

    @Test
    void unreadableRequirementIsRejectedNamingIt() {
        assertThatThrownBy(() -> LabelSelector.parse("env=prod,=x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("env=prod,=x");
        assertThatThrownBy(() -> LabelSelector.parse("env in prod")).isInstanceOf(IllegalArgumentException.class);
    }
}
