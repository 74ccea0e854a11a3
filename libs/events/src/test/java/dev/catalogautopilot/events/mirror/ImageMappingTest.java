package dev.catalogautopilot.events.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageMappingTest {

    private static final String SOURCE =
            "quay.io/strimzi/operator@sha256:0e37f671e6d489c3e56ffb8f51f19a2a014b2cb3f57eafcc5e2931090932e725";
    private static final String TARGET =
            "localhost:5000/strimzi/operator:0e37f671e6d489c3e56ffb8f51f19a2a014b2cb3f57eafcc5e2931090932e725";

    @Test
    void writesAndReadsMappingTxtLines() {
        ImageMapping mapping = new ImageMapping(SOURCE, TARGET);

        assertThat(mapping.line()).isEqualTo(SOURCE + "=" + TARGET);
        assertThat(ImageMapping.parse(mapping.line())).isEqualTo(mapping);
        assertThat(ImageMapping.parse(" " + SOURCE + " = " + TARGET + "\n")).isEqualTo(mapping);
    }

    @Test
    void rejectsLinesWithoutBothSides() {
        assertThatThrownBy(() -> ImageMapping.parse(SOURCE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageMapping.parse("=" + TARGET)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageMapping.parse(SOURCE + "=")).isInstanceOf(IllegalArgumentException.class);
    }
}
