package dev.catalogautopilot.watcher.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.watcher.change.ChangeDetector;
import dev.catalogautopilot.watcher.change.UpstreamChange;
import dev.catalogautopilot.watcher.change.UpstreamSnapshot;
import dev.catalogautopilot.outbox.Outbox;
import dev.catalogautopilot.watcher.source.UpstreamSource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Records poll outcomes. The new state and the event it causes are written in one transaction (transactional
 * outbox): either both are committed or neither is, so a crash can neither lose a change nor emit it twice.
 */
@ApplicationScoped
public class CatalogStateStore {

    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();
    private final ChangeEvents events;
    private final Outbox outbox;

    public CatalogStateStore(ChangeEvents events, Outbox outbox) {
        this.events = events;
        this.outbox = outbox;
    }

    /** Outcome of recording one successful poll. */
    public record Recorded(Optional<UpstreamChange> change, String eventId) {
    }

    public Uni<Optional<WatchedCatalog>> find(String name) {
        return Panache.withSession(() -> WatchedCatalog.<WatchedCatalog>findById(name).map(Optional::ofNullable));
    }

    public Uni<List<WatchedCatalog>> all() {
        return Panache.withSession(() -> WatchedCatalog.<WatchedCatalog>listAll());
    }

    public Uni<Recorded> recordSuccess(String name, UpstreamSource source, UpstreamSnapshot snapshot, Instant now) {
        String revision = snapshot.revision();
        return Panache.withTransaction(() -> findOrCreate(name, source).chain(catalog -> {
            catalog.lastPollAt = now;
            catalog.lastSuccessAt = now;
            catalog.lastError = null;
            catalog.consecutiveFailures = 0;
            // The revision hashes every fingerprint: the same one means no change, without reading the stored
            // snapshot back or comparing it package by package (the usual poll).
            if (catalog.snapshot != null && revision.equals(catalog.revision)) {
                return Uni.createFrom().item(new Recorded(Optional.empty(), null));
            }
            UpstreamSnapshot previous = snapshot(catalog);
            Optional<UpstreamChange> change = ChangeDetector.detect(previous, snapshot);
            if (change.isEmpty()) {
                return Uni.createFrom().item(new Recorded(Optional.empty(), null));
            }
            var event = events.changed(name, source, previous, snapshot, change.get(), catalog.version, now);
            catalog.revision = revision;
            catalog.snapshot = write(snapshot);
            catalog.lastChangeAt = now;
            return outbox.add(event).replaceWith(new Recorded(change, event.id()));
        }));
    }

    /** Records a failed poll; the first failure of a streak also emits a watch-failed event. */
    public Uni<WatchedCatalog> recordFailure(String name, UpstreamSource source, String error, Instant now) {
        return Panache.withTransaction(() -> findOrCreate(name, source).chain(catalog -> {
            catalog.lastPollAt = now;
            catalog.lastError = error;
            catalog.lastErrorAt = now;
            catalog.consecutiveFailures++;
            if (catalog.consecutiveFailures == 1) {
                return outbox.add(events.watchFailed(name, source, error, now)).replaceWith(catalog);
            }
            return Uni.createFrom().item(catalog);
        }));
    }

    /** A manual rebuild request at the current revision; empty if the catalog was never polled successfully. */
    public Uni<Optional<String>> recordManualTrigger(String name, UpstreamSource source, String actor, Instant now) {
        return Panache.withTransaction(() -> WatchedCatalog.<WatchedCatalog>findById(name).chain(catalog -> {
            UpstreamSnapshot current = catalog == null ? null : snapshot(catalog);
            if (current == null) {
                return Uni.createFrom().item(Optional.<String>empty());
            }
            var event = events.manual(name, source, current, actor, now);
            return outbox.add(event).replaceWith(Optional.of(event.id()));
        }));
    }

    public UpstreamSnapshot snapshot(WatchedCatalog catalog) {
        if (catalog.snapshot == null) {
            return null;
        }
        try {
            return json.readValue(catalog.snapshot, UpstreamSnapshot.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored snapshot of " + catalog.name + " is unreadable", e);
        }
    }

    private Uni<WatchedCatalog> findOrCreate(String name, UpstreamSource source) {
        return WatchedCatalog.<WatchedCatalog>findById(name).chain(existing -> {
            if (existing != null) {
                existing.sourceType = sourceType(source);
                existing.sourceLocation = source.location();
                return Uni.createFrom().item(existing);
            }
            WatchedCatalog created = new WatchedCatalog();
            created.name = name;
            created.sourceType = sourceType(source);
            created.sourceLocation = source.location();
            return created.persist();
        });
    }

    private static String sourceType(UpstreamSource source) {
        return source.kind().name();
    }

    private String write(UpstreamSnapshot snapshot) {
        try {
            return json.writeValueAsString(snapshot);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
