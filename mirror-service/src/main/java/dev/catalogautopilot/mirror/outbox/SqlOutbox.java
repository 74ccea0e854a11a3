package dev.catalogautopilot.mirror.outbox;

import dev.catalogautopilot.events.EventCatalog;
import dev.catalogautopilot.events.EventChain;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventJson;
import dev.catalogautopilot.events.EventSizeLimit;
import dev.catalogautopilot.events.TopicKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes to libs/outbox's tables inside a reactive SQL transaction: the same rows {@code Outbox} and
 * {@code ProcessedEvents} write through Hibernate, for stores that need SQL Hibernate cannot express
 * ({@code FOR UPDATE SKIP LOCKED}, {@code RETURNING}); {@code OutboxRelay} publishes them as usual.
 *
 * <p>Every method costs a fixed number of round trips however many events it is given: a plan of 30,000 images
 * adds its 30,000 job requests in a handful of statements, chained in one pass.
 */
public final class SqlOutbox {

    /** Rows per multi-row statement: bounded so one statement's parameters stay a few MB. */
    static final int ROWS_PER_STATEMENT = 5_000;

    private static final String INSERT_EVENTS = "INSERT INTO outbox_event (id, topic, event_key, type, source, subject,"
            + " time, correlation_id, causation_id, payload, chain_previous, chain_hash)"
            + " SELECT id, topic, event_key, type, source, subject, time, correlation_id, causation_id, payload,"
            + " chain_previous, chain_hash FROM unnest($1::varchar[], $2::varchar[], $3::text[], $4::text[],"
            + " $5::text[], $6::text[], $7::timestamptz[], $8::varchar[], $9::varchar[], $10::text[], $11::varchar[],"
            + " $12::varchar[])"
            + " WITH ORDINALITY AS e(id, topic, event_key, type, source, subject, time, correlation_id, causation_id,"
            + " payload, chain_previous, chain_hash, n) ORDER BY n";

    private SqlOutbox() {
    }

    /** Records {@code eventId} as handled by {@code consumer}; false when it already was (a redelivery). */
    public static Uni<Boolean> firstTime(SqlConnection connection, String consumer, String eventId) {
        return firstTimes(connection, consumer, List.of(eventId)).map(fresh -> fresh.contains(eventId));
    }

    /** Records each event id as handled by {@code consumer}; returns those that were not already (not redeliveries). */
    public static Uni<Set<String>> firstTimes(SqlConnection connection, String consumer, List<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        String[] keys = eventIds.stream().map(id -> consumer + "/" + id).toArray(String[]::new);
        String[] ids = eventIds.toArray(String[]::new);
        return connection.preparedQuery("INSERT INTO processed_event (id, consumer, event_id, processed_at)"
                        + " SELECT k, $2, e, now() FROM unnest($1::varchar[], $3::varchar[]) AS t(k, e)"
                        + " ON CONFLICT (id) DO NOTHING RETURNING event_id")
                .execute(Tuple.of(keys, consumer, ids))
                .map(rows -> {
                    Set<String> fresh = new HashSet<>();
                    rows.forEach(row -> fresh.add(row.getString("event_id")));
                    return fresh;
                });
    }

    public static Uni<Void> add(SqlConnection connection, EventEnvelope<?> envelope) {
        return add(connection, List.of(envelope));
    }

    /**
     * Adds events to the outbox in order, chained per catalog as libs/outbox's {@code Outbox} chains them (the same
     * advisory locks serialise writers of one catalog until the transaction ends); an event whose id is already
     * there is not added again and does not enter the chain.
     */
    public static Uni<Void> add(SqlConnection connection, List<? extends EventEnvelope<?>> envelopes) {
        if (envelopes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // Sorted, so two transactions locking several catalogs always lock them in the same order.
        String[] subjects = envelopes.stream().map(EventEnvelope::subject).distinct().sorted().toArray(String[]::new);
        String[] ids = envelopes.stream().map(EventEnvelope::id).toArray(String[]::new);
        return connection.preparedQuery("SELECT count(pg_advisory_xact_lock(hashtext(s))) FROM"
                        + " (SELECT s FROM unnest($1::text[]) AS s ORDER BY s) AS ordered").execute(Tuple.of(subjects))
                // Each chain's last row through the (subject, seq) index: the cost does not grow with the history.
                .chain(() -> connection.preparedQuery("SELECT s AS subject, e.id, e.chain_hash FROM unnest($1::text[])"
                        + " AS s LEFT JOIN LATERAL (SELECT id, chain_hash FROM outbox_event WHERE subject = s"
                        + " ORDER BY seq DESC LIMIT 1) AS e ON true")
                        .execute(Tuple.of((Object) subjects)))
                .chain(heads -> {
                    Map<String, ChainHead> chains = new HashMap<>();
                    for (Row row : heads) {
                        if (row.getString("id") != null) {
                            chains.put(row.getString("subject"),
                                    new ChainHead(row.getString("id"), row.getString("chain_hash")));
                        }
                    }
                    return connection.preparedQuery("SELECT id FROM outbox_event WHERE id = ANY($1)")
                            .execute(Tuple.of((Object) ids))
                            .chain(existing -> {
                                Set<String> present = new HashSet<>();
                                existing.forEach(row -> present.add(row.getString("id")));
                                return insert(connection, chained(envelopes, chains, present));
                            });
                });
    }

    /** The rows to insert, each linked to the one before it of the same catalog, in one pass. */
    private static List<Object[]> chained(List<? extends EventEnvelope<?>> envelopes, Map<String, ChainHead> chains,
                                          Set<String> present) {
        List<Object[]> rows = new ArrayList<>(envelopes.size());
        Set<String> seen = new LinkedHashSet<>(present);
        for (EventEnvelope<?> envelope : envelopes) {
            if (!seen.add(envelope.id())) {
                continue;
            }
            String subject = envelope.subject();
            ChainHead previous = chains.get(subject);
            String payload = EventJson.toJson(envelope.data());
            byte[] data = payload.getBytes(StandardCharsets.UTF_8);
            EventSizeLimit.check(envelope.type(), envelope.id(), data.length); // refused here, not by Kafka later
            String hash = EventChain.hash(previous == null ? null : previous.hash(), envelope.id(), envelope.type(),
                    envelope.source(), subject, envelope.time(), envelope.correlationId(), envelope.causationId(),
                    data);
            rows.add(new Object[] {envelope.id(), EventCatalog.typeOf(envelope.data()).topic(),
                    TopicKeys.keyOf(envelope.data()), envelope.type(), envelope.source(), subject,
                    envelope.time().atOffset(ZoneOffset.UTC), envelope.correlationId(), envelope.causationId(),
                    payload, previous == null ? null : previous.id(), hash});
            chains.put(subject, new ChainHead(envelope.id(), hash));
        }
        return rows;
    }

    private static Uni<Void> insert(SqlConnection connection, List<Object[]> rows) {
        Uni<Void> done = Uni.createFrom().voidItem();
        // One statement per slice, sequenced without nesting: a fixed, small number of links whatever the size.
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<Object[]> slice = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
            Tuple columns = columns(slice);
            done = done.chain(() -> connection.preparedQuery(INSERT_EVENTS).execute(columns).replaceWithVoid());
        }
        return done;
    }

    private static Tuple columns(List<Object[]> rows) {
        int n = rows.size();
        Object[][] columns = {new String[n], new String[n], new String[n], new String[n], new String[n],
                new String[n], new OffsetDateTime[n], new String[n], new String[n], new String[n], new String[n],
                new String[n]};
        for (int i = 0; i < n; i++) {
            Object[] row = rows.get(i);
            for (int c = 0; c < columns.length; c++) {
                columns[c][i] = row[c];
            }
        }
        return Tuple.from(List.of((Object[]) columns));
    }

    private record ChainHead(String id, String hash) {
    }
}
