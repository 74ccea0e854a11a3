package dev.catalogautopilot.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));

    @Test
    void doublesFromTheInitialWaitUpToTheCeilingAndStaysThere() {
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.delay(8)).isEqualTo(Duration.ofMillis(25_600));
        assertThat(backoff.delay(9)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(10_000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void refusesACeilingBelowTheInitialWait() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
