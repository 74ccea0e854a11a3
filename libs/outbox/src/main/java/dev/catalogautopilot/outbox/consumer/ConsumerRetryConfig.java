package dev.catalogautopilot.outbox.consumer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How consumers retry a record whose processing failed for an infrastructure reason. */
@ConfigMapping(prefix = "consumer-retry")
public interface ConsumerRetryConfig {

    /** Wait before the first retry of a record; each later retry waits twice as long, up to {@code max-backoff}. */
    @WithDefault("200ms")
    Duration initialBackoff();

    /** Longest wait between two retries; retries go on until the record is processed. */
    @WithDefault("30s")
    Duration maxBackoff();

    /** A record in flight this long (retries included) marks its consumer stuck: health DOWN with the reason. */
    @WithDefault("2m")
    Duration stuckAfter();
}
