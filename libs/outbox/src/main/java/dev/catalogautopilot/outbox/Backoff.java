package dev.catalogautopilot.outbox;

import java.time.Duration;

/**
 * Exponential backoff with a ceiling: the first retry waits {@code initial}, each later one twice as long, never
 * more than {@code max}. Retries go on for as long as the failure lasts; the ceiling bounds only the wait.
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
    }

    /** The wait before the next attempt after {@code failures} consecutive failures (1 for the first). */
    public Duration delay(int failures) {
        if (failures <= 1) {
            return initial;
        }
        int doublings = Math.min(failures - 1, 30);
        long millis = initial.toMillis() << doublings;
        return millis <= 0 || millis >= max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
