package dev.catalogautopilot.outbox.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.events.EventDecodingException;
import java.net.ConnectException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ConsumerFailuresTest {

    @Test
    void undecodableAndInvalidRecordsAreNotRetried() {
        assertThat(ConsumerFailures.retriable(new EventDecodingException("missing header ce_id"))).isFalse();
        assertThat(ConsumerFailures.retriable(new IllegalArgumentException("catalog image has no digest"))).isFalse();
        assertThat(ConsumerFailures.retriable(new CompletionException(new IllegalArgumentException("bad"))))
                .isFalse();
        assertThat(ConsumerFailures.retriable(new StackOverflowError())).isFalse();
    }

    @Test
    void databaseAndNetworkFailuresAndTimeoutsAreRetried() {
        assertThat(ConsumerFailures.retriable(new SQLTransientConnectionException("connection refused"))).isTrue();
        assertThat(ConsumerFailures.retriable(new IllegalStateException(new ConnectException("refused")))).isTrue();
        assertThat(ConsumerFailures.retriable(new TimeoutException())).isTrue();
        assertThat(ConsumerFailures.retriable(new io.smallrye.mutiny.TimeoutException())).isTrue();
    }
}
