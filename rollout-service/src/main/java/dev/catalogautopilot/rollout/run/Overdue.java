package dev.catalogautopilot.rollout.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Which cluster workers are stuck: a worker must reach a verdict by the end of its observation window; one still
 * at it {@code bound} later (blocked in a call, or never scheduled) has stopped making progress.
 */
final class Overdue {

    private Overdue() {
    }

    /**
     * When one worker is due: the end of its window once it opened one, else the time it was handed its cluster
     * plus a whole window.
     */
    record Due(Instant dispatchedAt, Duration window, Instant deadline) {
        Instant at() {
            return deadline != null ? deadline : dispatchedAt.plus(window);
        }
    }

    /** The keys of the workers overdue by more than {@code bound} at {@code now}. */
    static List<String> find(Map<String, Due> workers, Instant now, Duration bound) {
        return workers.entrySet().stream().filter(e -> e.getValue().at().plus(bound).isBefore(now))
                .map(Map.Entry::getKey).sorted().toList();
    }
}
