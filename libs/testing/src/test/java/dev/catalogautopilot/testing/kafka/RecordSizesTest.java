package dev.catalogautopilot.testing.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordSizesTest {

    @Test
    void aRecordCountsItsKeyValueAndHeaders() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("catalog.builds", 0, 7L,
                "community".getBytes(StandardCharsets.UTF_8), new byte[1000]);
        record.headers().add("ce_type", "dev.catalogautopilot.catalog.built.v1".getBytes(StandardCharsets.UTF_8));
        record.headers().add("empty", null);

        assertThat(RecordSizes.sizeOf(record)).isEqualTo(9 + 1000 + "ce_type".length()
                + "dev.catalogautopilot.catalog.built.v1".length() + "empty".length());
    }
}
