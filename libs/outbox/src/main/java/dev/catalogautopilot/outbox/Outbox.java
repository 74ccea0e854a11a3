package dev.catalogautopilot.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.events.EventChain;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventSizeLimit;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Adds events to the outbox inside the caller's Hibernate Reactive transaction; {@link OutboxRelay} publishes them
 * once that transaction has committed.
 *
 * <p>Each catalog's events form a hash chain. A call costs a fixed number of statements however many events it
 * is given: one takes the catalogs' advisory locks (serialising writers of a catalog until the transaction ends),
 * one reads each chain's head, and the events, chained in memory in one pass, go in with one multi-row insert per
 * {@link #ROWS_PER_STATEMENT} events.
 */
@ApplicationScoped
public class Outbox {

    /** Events per insert statement: bounded so one statement's parameter stays a few MB. */
    static final int ROWS_PER_STATEMENT = 2_000;

    // Lists go in as one JSON text parameter each (text first: the driver would encode a json-typed String as a
    // JSON string): one statement for any number of rows.
    private static final String LOCK = "SELECT count(pg_advisory_xact_lock(hashtext(s))) FROM"
            + " (SELECT s FROM json_array_elements_text(CAST(CAST(:subjects AS text) AS json)) AS s ORDER BY s) AS ordered";
    private static final String HEADS = "SELECT s, e.id, e.chain_hash"
            + " FROM json_array_elements_text(CAST(CAST(:subjects AS text) AS json)) AS s"
            + " LEFT JOIN LATERAL (SELECT id, chain_hash FROM outbox_event WHERE subject = s ORDER BY seq DESC LIMIT 1)"
            + " AS e ON true";
    private static final String PRESENT = "SELECT o.id FROM outbox_event o"
            + " JOIN json_array_elements_text(CAST(CAST(:ids AS text) AS json)) AS i ON o.id = i";
    private static final String INSERT = "INSERT INTO outbox_event (id, topic, event_key, type, source, subject, time,"
            + " correlation_id, causation_id, payload, chain_previous, chain_hash)"
            + " SELECT id, topic, key, type, source, subject, time, correlation, causation, payload, previous, hash"
            + " FROM ROWS FROM (json_to_recordset(CAST(CAST(:rows AS text) AS json)) AS (id varchar, topic varchar, key text,"
            + " type text, source text, subject text, time timestamptz, correlation varchar, causation varchar,"
            + " payload text, previous varchar, hash varchar)) WITH ORDINALITY"
            + " AS e(id, topic, key, type, source, subject, time, correlation, causation, payload, previous, hash, n)"
            + " ORDER BY n";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One row of {@link #INSERT}, named as its record set's columns. */
    private record Row(String id, String topic, String key, String type, String source, String subject, String time,
                       String correlation, String causation, String payload, String previous, String hash) {
        static Row of(OutboxEvent e) {
            return new Row(e.id, e.topic, e.key, e.type, e.source, e.subject, e.time.toString(), e.correlationId,
                    e.causationId, e.payload, e.chainPrevious, e.chainHash);
        }
    }

    /**
     * Adds the event to the caller's transaction; fails with
     * {@link dev.catalogautopilot.events.EventSizeLimit.EventTooLargeException} for data over 1 MiB, which Kafka
     * would refuse after the transaction had committed.
     */
    public Uni<Void> add(EventEnvelope<?> envelope) {
        return addAll(List.of(envelope));
    }

    /** Adds the events in order, each chained to the one before it of its catalog; see {@link #add}. */
    public Uni<Void> addAll(List<? extends EventEnvelope<?>> envelopes) {
        if (envelopes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<OutboxEvent> rows = new ArrayList<>(envelopes.size());
        List<byte[]> payloads = new ArrayList<>(envelopes.size());
        for (EventEnvelope<?> envelope : envelopes) {
            OutboxEvent row = OutboxEvent.of(envelope);
            byte[] payload = row.payload.getBytes(StandardCharsets.UTF_8);
            try {
                EventSizeLimit.check(row.type, row.id, payload.length); // refused here, not by Kafka later
            } catch (EventSizeLimit.EventTooLargeException tooLarge) {
                return Uni.createFrom().failure(tooLarge);
            }
            rows.add(row);
            payloads.add(payload);
        }
        // Sorted, so two transactions locking several catalogs always lock them in the same order.
        List<String> subjects = rows.stream().map(r -> r.subject).distinct().sorted().toList();
        return Panache.getSession().chain(session -> session.createNativeQuery(LOCK)
                .setParameter("subjects", json(subjects)).getSingleResult()
                .chain(() -> session.<Object[]>createNativeQuery(HEADS, Object[].class)
                        .setParameter("subjects", json(subjects)).getResultList())
                .chain(heads -> {
                    Map<String, String[]> chains = new HashMap<>();
                    for (Object[] head : heads) {
                        if (head[1] != null) {
                            chains.put((String) head[0], new String[] {(String) head[1], (String) head[2]});
                        }
                    }
                    chain(rows, payloads, chains);
                    return insert(session, rows);
                }));
    }

    /**
     * Adds the events unless one with the same id is already there: with deterministic ids, re-processing the same
     * input yields the same event, which must not be published twice.
     *
     * @return how many were added
     */
    public Uni<Integer> addAllOnce(List<? extends EventEnvelope<?>> envelopes) {
        if (envelopes.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<String> ids = envelopes.stream().map(EventEnvelope::id).distinct().toList();
        return Panache.getSession().chain(session -> session.<String>createNativeQuery(PRESENT, String.class)
                        .setParameter("ids", json(ids)).getResultList())
                .chain(present -> {
                    Set<String> seen = new HashSet<>(present);
                    List<EventEnvelope<?>> fresh = new ArrayList<>();
                    envelopes.forEach(e -> {
                        if (seen.add(e.id())) {
                            fresh.add(e);
                        }
                    });
                    return addAll(fresh).replaceWith(fresh.size());
                });
    }

    /** Adds the event unless one with the same id is already there; see {@link #addAllOnce}. */
    public Uni<Boolean> addOnce(EventEnvelope<?> envelope) {
        return addAllOnce(List.of(envelope)).map(added -> added > 0);
    }

    /** Links each row to the one before it of the same catalog, in one pass; {@code chains} holds each head. */
    private static void chain(List<OutboxEvent> rows, List<byte[]> payloads, Map<String, String[]> chains) {
        for (int i = 0; i < rows.size(); i++) {
            OutboxEvent row = rows.get(i);
            String[] previous = chains.get(row.subject);
            row.chainPrevious = previous == null ? null : previous[0];
            row.chainHash = EventChain.hash(previous == null ? null : previous[1], row.id, row.type, row.source,
                    row.subject, row.time, row.correlationId, row.causationId, payloads.get(i));
            chains.put(row.subject, new String[] {row.id, row.chainHash});
        }
    }

    private static Uni<Void> insert(Mutiny.Session session, List<OutboxEvent> rows) {
        Uni<Void> done = Uni.createFrom().voidItem();
        // One statement per slice, sequenced without nesting: a fixed, small number of links whatever the size.
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<OutboxEvent> slice = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
            String json = json(slice.stream().map(Row::of).toList());
            done = done.chain(() -> session.createNativeQuery(INSERT).setParameter("rows", json)
                    .executeUpdate().replaceWithVoid());
        }
        return done;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outbox rows cannot be written as JSON", e);
        }
    }
}
