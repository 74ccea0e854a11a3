package dev.catalogautopilot.watcher.poll;

import dev.catalogautopilot.outbox.ReactiveWork;
import dev.catalogautopilot.events.catalog.PackageSnapshot;
import dev.catalogautopilot.watcher.change.UpstreamSnapshot;
import dev.catalogautopilot.watcher.config.WatcherConfig;
import dev.catalogautopilot.outbox.OutboxRelay;
import dev.catalogautopilot.outbox.progress.ProgressWatchdog;
import dev.catalogautopilot.outbox.progress.ProgressWatchdogs;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.catalogautopilot.watcher.source.UpstreamSource;
import dev.catalogautopilot.watcher.source.UpstreamSources;
import dev.catalogautopilot.watcher.state.CatalogStateStore;
import dev.catalogautopilot.watcher.state.WatchedCatalog;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/** Polls every watched catalog when it is due, off the event loop, and records what it saw. */
@ApplicationScoped
public class CatalogPoller {

    private static final Logger LOG = Logger.getLogger(CatalogPoller.class);

    private final WatcherConfig config;
    private final UpstreamSources sources;
    private final CatalogStateStore store;
    private final OutboxRelay relay;
    private final Map<String, Instant> nextPoll = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final ProgressWatchdog watchdog;
    private volatile boolean stopping;

    public CatalogPoller(WatcherConfig config, UpstreamSources sources, CatalogStateStore store, OutboxRelay relay,
            MeterRegistry registry, ProgressWatchdogs watchdogs) {
        this.registry = registry;
        this.watchdog = watchdogs.watch("catalog-poller", config.stuckAfter());
        this.config = config;
        this.sources = sources;
        this.store = store;
        this.relay = relay;
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @Scheduled(every = "${watcher.tick:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (stopping) {
            return;
        }
        Instant now = Instant.now();
        config.catalogs().forEach((name, catalog) -> {
            if (!now.isBefore(nextPoll.getOrDefault(name, Instant.MIN))) {
                nextPoll.put(name, now.plus(catalog.pollInterval()));
                watchdog.working("the poll of catalog " + name);
                try {
                    poll(name);
                } catch (RuntimeException e) {
                    if (stopping) {
                        return; // the database or broker went away with the shutdown; the next start polls again
                    }
                    LOG.errorf(e, "poll of catalog %s failed unexpectedly", name);
                }
            }
        });
        watchdog.idle();
    }

    /** Polls one catalog now; returns the id of the change event it recorded, if any. */
    public Optional<String> poll(String name) {
        UpstreamSource source = sources.get(name);
        Optional<WatchedCatalog> state = ReactiveWork.await(() -> store.find(name));
        UpstreamSnapshot known = state.map(store::snapshot).orElse(null);
        Map<String, PackageSnapshot> knownPackages = known == null ? Map.of() : known.packages();
        Instant now = Instant.now();
        UpstreamSnapshot snapshot;
        try {
            snapshot = source.snapshot(knownPackages);
        } catch (UpstreamException e) {
            pollTook(name, "failed", now);
            LOG.warnf("catalog %s: poll of %s failed: %s", name, source.location(), e.getMessage());
            ReactiveWork.await(() -> store.recordFailure(name, source, e.getMessage(), now));
            relay.publishPending();
            return Optional.empty();
        }
        Instant read = Instant.now();
        CatalogStateStore.Recorded recorded = ReactiveWork.await(() -> store.recordSuccess(name, source, snapshot, now));
        pollTook(name, recorded.change().isPresent() ? "changed" : "unchanged", now);
        LOG.debugf("catalog %s: upstream read in %d ms, recorded in %d ms", name,
                Duration.between(now, read).toMillis(), Duration.between(read, Instant.now()).toMillis());
        if (recorded.change().isPresent()) {
            var change = recorded.change().get();
            LOG.infof("catalog %s changed: %d added, %d updated, %d removed, revision %s", name,
                    change.added().size(), change.updated().size(), change.removed().size(), snapshot.revision());
            relay.publishPending();
        }
        return Optional.ofNullable(recorded.eventId());
    }

    private void pollTook(String catalog, String outcome, Instant started) {
        Timer.builder("watcher.poll.duration").description("One poll of an upstream catalog, read to recorded")
                .tag("catalog", catalog).tag("outcome", outcome).register(registry)
                .record(Duration.between(started, Instant.now()));
    }

}
