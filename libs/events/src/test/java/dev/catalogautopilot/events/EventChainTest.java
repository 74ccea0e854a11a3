package dev.catalogautopilot.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventChainTest {

    private static final Instant T = Instant.parse("2026-11-25T10:15:30.123Z");

    private static String hash(String previous, String data) {
        return EventChain.hash(previous, "id-1", "dev.catalogautopilot.catalog.changed.v1", "/w", "c", T, "corr", null,
                data.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void sameInputsGiveTheSameHash() {
        assertThat(hash(null, "{\"a\":1}")).isEqualTo(hash(null, "{\"a\":1}")).startsWith("sha256:").hasSize(71);
    }

    @Test
    void anyAlteredByteOrLinkChangesTheHash() {
        String first = hash(null, "{\"a\":1}");
        assertThat(hash(null, "{\"a\":2}")).isNotEqualTo(first);
        assertThat(hash("sha256:00", "{\"a\":1}")).isNotEqualTo(first);
        assertThat(EventChain.hash(null, "id-2", "dev.catalogautopilot.catalog.changed.v1", "/w", "c", T, "corr", null,
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(first);
    }

    @Test
    void anAbsentFieldDiffersFromAnEmptyOne() {
        String absent = EventChain.hash(null, "i", "t", "s", "c", T, "corr", null, new byte[0]);
        String empty = EventChain.hash(null, "i", "t", "s", "c", T, "corr", "", new byte[0]);
        assertThat(absent).isNotEqualTo(empty);
    }
}
