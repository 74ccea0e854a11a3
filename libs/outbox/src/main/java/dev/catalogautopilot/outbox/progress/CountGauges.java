package dev.catalogautopilot.outbox.progress;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A gauge per tag value (a queue depth per state, say) holding the figures of the last refresh: the refresher
 * runs one counting query on its own schedule, so a scrape never reaches the database.
 */
public final class CountGauges {

    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

    public CountGauges(MeterRegistry registry, String name, String description, String tag, List<String> tagValues) {
        for (String value : tagValues) {
            AtomicLong holder = new AtomicLong();
            values.put(value, holder);
            Gauge.builder(name, holder, AtomicLong::get).description(description).tag(tag, value).register(registry);
        }
    }

    /** Sets every gauge from one refresh; a tag value missing from {@code counts} is 0. */
    public void update(Map<String, Long> counts) {
        values.forEach((value, holder) -> holder.set(counts.getOrDefault(value, 0L)));
    }

    public long get(String tagValue) {
        AtomicLong holder = values.get(tagValue);
        return holder == null ? 0 : holder.get();
    }
}
