package dev.catalogautopilot.mirror.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.events.EventChain;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import dev.catalogautopilot.testing.postgres.TestDatabase;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SqlOutbox} against the real PostgreSQL with libs/outbox's schema: a plan's worth of events at the target
 * scale goes in, in a fixed number of statements, chained in one pass exactly as {@code EventChain} defines it.
 */
class SqlOutboxIT {

    private static final int PLAN_SIZE = 30_000;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

    private static TestDatabase db;
    private static Vertx vertx;
    private static Pool pool;

    @BeforeAll
    static void schema() throws Exception {
        db = TestDatabase.create("sql_outbox");
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             InputStream sql = SqlOutboxIT.class.getResourceAsStream("/db/outbox/V0_1__outbox.sql")) {
            statement.execute(new String(sql.readAllBytes(), StandardCharsets.UTF_8));
        }
        vertx = Vertx.vertx();
        pool = PgPool.pool(vertx, new PgConnectOptions().setHost(db.host()).setPort(db.port())
                .setDatabase(db.name()).setUser(db.user()).setPassword(db.password()), new PoolOptions().setMaxSize(2));
    }

    @AfterAll
    static void stop() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
        db.drop();
    }

    @Test
    void aPlanOfThirtyThousandRequestsIsAddedInOneTransactionAndChainedInOrder() throws Exception {
        EventEnvelope<MirrorJobRequested> build = EventEnvelope.first(EventSources.BUILDER, "scale",
                new MirrorJobRequested("plan-0", "scale", "quay.io/seed/image:0", "mirror.local/seed/image:0", 1),
                CLOCK);
        List<EventEnvelope<MirrorJobRequested>> requests = IntStream.range(0, PLAN_SIZE)
                .mapToObj(i -> request(build, i)).toList();

        pool.withTransaction(connection -> SqlOutbox.add(connection, requests)).await().atMost(Duration.ofMinutes(2));

        List<String[]> rows = rows("scale");
        assertThat(rows).hasSize(PLAN_SIZE);
        assertChained(rows, requests);

        // Redelivered together with one new event: only the new one is added, chained after the last.
        List<EventEnvelope<MirrorJobRequested>> again = new ArrayList<>(requests.subList(PLAN_SIZE - 10, PLAN_SIZE));
        again.add(request(build, PLAN_SIZE));
        pool.withTransaction(connection -> SqlOutbox.add(connection, again)).await().atMost(Duration.ofMinutes(1));
        List<String[]> after = rows("scale");
        assertThat(after).hasSize(PLAN_SIZE + 1);
        List<EventEnvelope<MirrorJobRequested>> all = new ArrayList<>(requests);
        all.add(again.get(again.size() - 1));
        assertChained(after, all);
    }

    @Test
    void firstTimesReportsOnlyIdsNotSeenBefore() {
        assertThat(pool.withTransaction(c -> SqlOutbox.firstTimes(c, "test", List.of("a", "b")))
                .await().atMost(Duration.ofSeconds(30))).containsExactlyInAnyOrder("a", "b");
        assertThat(pool.withTransaction(c -> SqlOutbox.firstTimes(c, "test", List.of("b", "c")))
                .await().atMost(Duration.ofSeconds(30))).containsExactly("c");
    }

    private static EventEnvelope<MirrorJobRequested> request(EventEnvelope<?> build, int i) {
        String source = "quay.io/scale/repo-" + (i % 3000) + "@sha256:" + String.format("%064x", i);
        return EventEnvelope.causedBy(build, EventSources.MIRROR, new MirrorJobRequested("plan-1", "scale", source,
                "mirror.local/scale/repo-" + (i % 3000) + ":" + i, 1), source, CLOCK);
    }

    /** Each row links to the one before it, and its hash is EventChain's over the previous hash and the row. */
    private static void assertChained(List<String[]> rows, List<EventEnvelope<MirrorJobRequested>> expected) {
        String previousId = null;
        String previousHash = null;
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            EventEnvelope<MirrorJobRequested> event = expected.get(i);
            assertThat(row[0]).isEqualTo(event.id());
            assertThat(row[1]).as("chain_previous of row %d", i).isEqualTo(previousId);
            String hash = EventChain.hash(previousHash, event.id(), event.type(), event.source(), event.subject(),
                    event.time(), event.correlationId(), event.causationId(), row[3].getBytes(StandardCharsets.UTF_8));
            assertThat(row[2]).as("chain_hash of row %d", i).isEqualTo(hash);
            previousId = row[0];
            previousHash = row[2];
        }
    }

    private static List<String[]> rows(String subject) throws IOException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT id, chain_previous, chain_hash, payload FROM outbox_event"
                     + " WHERE subject = '" + subject + "' ORDER BY seq")) {
            List<String[]> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
            }
            return rows;
        } catch (java.sql.SQLException e) {
            throw new IOException(e);
        }
    }
}
