package dev.catalogautopilot.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The outbox relay of every service. */
@ConfigMapping(prefix = "outbox")
public interface OutboxConfig {

    /** How often the outbox relay looks for committed events it has not published yet (producers also publish right after committing). */
    @WithDefault("1s")
    Duration interval();

    /** Delay before the relay's first scheduled run. */
    @WithDefault("3s")
    Duration initialDelay();

    /**
     * Longest a relay pass waits for Kafka to answer a send. A send still unanswered then is kept and waited for
     * in later passes, not sent again by this instance, until Kafka acknowledges or fails it.
     */
    @WithDefault("60s")
    Duration sendTimeout();

    /** First wait after a send Kafka may accept later (broker unavailable); doubles up to {@code retry-max}. */
    @WithDefault("1s")
    Duration retryInitial();

    /** Longest wait between two attempts to publish after retriable failures. */
    @WithDefault("30s")
    Duration retryMax();

    /** How often the pending, oldest-pending and parked figures behind the outbox metrics are refreshed. */
    @WithDefault("5s")
    Duration lagInterval();
}
