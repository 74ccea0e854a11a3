package dev.catalogautopilot.watcher.poll;

import java.time.Duration;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** Retries transient upstream failures with exponential backoff and jitter. */
public final class Retrier {

    private static final Logger LOG = Logger.getLogger(Retrier.class);

    private final int attempts;
    private final Duration initialBackoff;

    public Retrier(int attempts, Duration initialBackoff) {
        this.attempts = Math.max(1, attempts);
        this.initialBackoff = initialBackoff;
    }

    public <T> T call(String what, Supplier<T> action) {
        long backoff = initialBackoff.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return action.get();
            } catch (UpstreamException e) {
                if (!e.isTransient() || attempt >= attempts) {
                    throw e;
                }
                LOG.debugf("%s failed (attempt %d of %d): %s", what, attempt, attempts, e.getMessage());
                sleep(backoff + (long) (Math.random() * backoff / 2));
                backoff *= 2;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UpstreamException.transientFailure("interrupted", e);
        }
    }
}
