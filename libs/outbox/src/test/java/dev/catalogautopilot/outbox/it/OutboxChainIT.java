package dev.catalogautopilot.outbox.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.events.EventChain;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.catalog.CatalogWatchFailed;
import dev.catalogautopilot.events.catalog.UpstreamSource;
import dev.catalogautopilot.outbox.Outbox;
import dev.catalogautopilot.outbox.ReactiveWork;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Batched outbox writes against the real PostgreSQL: thousands of events of several catalogs in one call, more than
 * one insert statement's worth, each chained to the one before it of its catalog exactly as a one-by-one write
 * would chain it; a repeated call adds only what is new.
 */
@QuarkusTest
@QuarkusTestResource(value = OutboxTestStack.class, restrictToAnnotatedClass = false)
class OutboxChainIT {

    @Inject
    Outbox outbox;

    @Test
    void aBatchOfSeveralCatalogsIsChainedPerCatalogInOrderAndARepeatAddsOnlyWhatIsNew() throws Exception {
        String run = Long.toString(System.nanoTime());
        List<String> catalogs = List.of("chain-a-" + run, "chain-b-" + run);
        EventEnvelope<?> first = event(catalogs.get(0), 0);
        ReactiveWork.await(() -> Panache.withTransaction(() -> outbox.add(first)));

        List<EventEnvelope<?>> batch = new ArrayList<>();
        for (int i = 1; i <= 4_500; i++) {
            batch.add(event(catalogs.get(i % 2), i));
        }
        ReactiveWork.await(() -> Panache.withTransaction(() -> outbox.addAll(batch)));

        List<EventEnvelope<?>> again = new ArrayList<>(batch.subList(0, 10));
        EventEnvelope<?> fresh = event(catalogs.get(1), 4_501);
        again.add(fresh);
        again.add(first);
        int added = ReactiveWork.await(() -> Panache.withTransaction(() -> outbox.addAllOnce(again)));
        assertThat(added).isEqualTo(1);

        assertThat(verifiedChainLength(catalogs.get(0))).isEqualTo(1 + 2_250);
        assertThat(verifiedChainLength(catalogs.get(1))).isEqualTo(2_250 + 1);
    }

    private static EventEnvelope<CatalogWatchFailed> event(String catalog, int n) {
        return EventEnvelope.first(EventSources.WATCHER, catalog, new CatalogWatchFailed(catalog,
                new UpstreamSource.IndexImage("example.com/index:v" + n), "attempt " + n, n, Instant.now()),
                Clock.systemUTC());
    }

    /** Walks a catalog's rows in insertion order, recomputing each hash from the row and its predecessor's. */
    private static int verifiedChainLength(String catalog) throws Exception {
        try (Connection c = OutboxTestStack.database.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT id, type, source, subject, time, correlation_id, causation_id, payload, chain_previous,"
                        + " chain_hash FROM outbox_event WHERE subject = ? ORDER BY seq")) {
            s.setString(1, catalog);
            String previousId = null;
            String previousHash = null;
            int n = 0;
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String id = r.getString("id");
                    assertThat(r.getString("chain_previous")).as("previous of %s", id).isEqualTo(previousId);
                    String hash = EventChain.hash(previousHash, id, r.getString("type"), r.getString("source"),
                            r.getString("subject"), r.getObject("time", java.time.OffsetDateTime.class).toInstant(),
                            r.getString("correlation_id"), r.getString("causation_id"),
                            r.getString("payload").getBytes(StandardCharsets.UTF_8));
                    assertThat(r.getString("chain_hash")).as("hash of %s", id).isEqualTo(hash);
                    previousId = id;
                    previousHash = hash;
                    n++;
                }
            }
            return n;
        }
    }
}
