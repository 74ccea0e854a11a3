package dev.catalogautopilot.outbox.progress;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The service's worker loops, each watched by a {@link ProgressWatchdog}: the {@code workers} health check reports
 * them, and each has the gauges {@code worker_stuck} and {@code worker_progress_age_seconds} (tag {@code worker}).
 */
@ApplicationScoped
public class ProgressWatchdogs {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, ProgressWatchdog> watchdogs = new ConcurrentSkipListMap<>();

    @Inject
    public ProgressWatchdogs(MeterRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    ProgressWatchdogs(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** The watchdog of the named loop, created with its bound on first use. */
    public ProgressWatchdog watch(String name, Duration stuckAfter) {
        return watchdogs.computeIfAbsent(name, key -> {
            ProgressWatchdog watchdog = new ProgressWatchdog(key, stuckAfter, clock);
            Gauge.builder("worker.stuck", watchdog, w -> w.stuck().isPresent() ? 1 : 0)
                    .description("1 while the worker loop has made no progress past its stuck-after bound")
                    .tag("worker", key).register(registry);
            Gauge.builder("worker.progress.age", watchdog, ProgressWatchdog::secondsSinceProgress)
                    .description("Time since the worker loop last passed or made progress").baseUnit("seconds")
                    .tag("worker", key).register(registry);
            return watchdog;
        });
    }

    public List<ProgressWatchdog> all() {
        return List.copyOf(watchdogs.values());
    }
}
