package dev.catalogautopilot.registry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

class RetryingTransportTest {

    @Test
    void retriesThrottlingAndServerErrorsOnly() {
        assertThat(RetryingTransport.isRetryable(429)).isTrue();
        assertThat(RetryingTransport.isRetryable(500)).isTrue();
        assertThat(RetryingTransport.isRetryable(502)).isTrue();
        assertThat(RetryingTransport.isRetryable(503)).isTrue();
        assertThat(RetryingTransport.isRetryable(501)).isFalse();
        assertThat(RetryingTransport.isRetryable(400)).isFalse();
        assertThat(RetryingTransport.isRetryable(401)).isFalse();
        assertThat(RetryingTransport.isRetryable(404)).isFalse();
    }

    @Test
    void parsesRetryAfterSecondsAndDates() {
        assertThat(RetryingTransport.parseRetryAfter("3")).contains(Duration.ofSeconds(3));
        assertThat(RetryingTransport.parseRetryAfter(" 0 ")).contains(Duration.ZERO);
        assertThat(RetryingTransport.parseRetryAfter("-5")).contains(Duration.ZERO);
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));
        assertThat(RetryingTransport.parseRetryAfter(inTenSeconds)).hasValueSatisfying(d ->
                assertThat(d).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10)));
        assertThat(RetryingTransport.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
        assertThat(RetryingTransport.parseRetryAfter("soon")).isEmpty();
    }

    @Test
    void backoffGrowsExponentiallyWithJitterUpToTheCap() {
        RetryingTransport transport = new RetryingTransport(null, 5, Duration.ofMillis(100), Duration.ofMillis(1000),
                Duration.ofSeconds(60));
        for (int i = 0; i < 50; i++) {
            assertThat(transport.backoff(1).toMillis()).isBetween(50L, 100L);
            assertThat(transport.backoff(3).toMillis()).isBetween(200L, 400L);
            assertThat(transport.backoff(10).toMillis()).isBetween(500L, 1000L);
        }
    }
}
