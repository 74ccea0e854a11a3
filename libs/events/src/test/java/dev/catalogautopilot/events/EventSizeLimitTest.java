package dev.catalogautopilot.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventSizeLimitTest {

    @Test
    void anEventOfOneMebibyteIsAcceptedAndOneByteMoreIsRefusedWithAClearReason() {
        assertThatCode(() -> EventSizeLimit.check("dev.catalogautopilot.catalog.built.v1", "e1", 1024 * 1024))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> EventSizeLimit.check("dev.catalogautopilot.catalog.built.v1", "e1",
                1_208_384))
                .isInstanceOf(EventSizeLimit.EventTooLargeException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("event e1 (dev.catalogautopilot.catalog.built.v1) has 1208384 bytes of data, more than "
                        + "the limit of 1048576 bytes (1 MiB); large content must go by reference");
    }

    @Test
    void theRecordLimitLeavesHeadroomForKeyAndHeaders() {
        assertThat(EventSizeLimit.MAX_RECORD_BYTES).isEqualTo(1_114_112);
        assertThat(Topics.config()).containsEntry("max.message.bytes", "1114112");
    }
}
