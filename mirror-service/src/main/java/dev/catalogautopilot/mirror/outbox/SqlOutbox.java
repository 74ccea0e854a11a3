package dev.catalogautopilot.mirror.outbox;

import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventCatalog;
import dev.catalogautopilot.events.EventChain;
import dev.catalogautopilot.events.EventJson;
import dev.catalogautopilot.events.TopicKeys;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * Writes to libs/outbox's tables inside a reactive SQL transaction: the same rows {@code Outbox} and
 * {@code ProcessedEvents} write through Hibernate, for stores that need SQL Hibernate cannot express
 * ({@code FOR UPDATE SKIP LOCKED}, {@code RETURNING}); {@code OutboxRelay} publishes them as usual.
 */
public final class SqlOutbox {

    private static final String INSERT_EVENT = "INSERT INTO outbox_event (id, topic, event_key, type, source, subject,"
            + " time, correlation_id, causation_id, payload, chain_previous, chain_hash)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING";

    private SqlOutbox() {
    }

    /** Records {@code eventId} as handled by {@code consumer}; false when it already was (a redelivery). */
    public static Uni<Boolean> firstTime(SqlConnection connection, String consumer, String eventId) {
        return connection.preparedQuery("INSERT INTO processed_event (id, consumer, event_id, processed_at)"
                        + " VALUES ($1, $2, $3, now()) ON CONFLICT (id) DO NOTHING")
                .execute(Tuple.of(consumer + "/" + eventId, consumer, eventId))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Adds events to the outbox, chained per catalog as libs/outbox's {@code Outbox} chains them (the same advisory
     * lock serialises writers of one catalog until the transaction ends); an event whose id is already there is
     * not added again.
     */
    public static Uni<Void> add(SqlConnection connection, List<? extends EventEnvelope<?>> envelopes) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (EventEnvelope<?> envelope : envelopes) {
            chain = chain.chain(() -> addOne(connection, envelope));
        }
        return chain;
    }

    public static Uni<Void> add(SqlConnection connection, EventEnvelope<?> envelope) {
        return add(connection, List.of(envelope));
    }

    private static Uni<Void> addOne(SqlConnection connection, EventEnvelope<?> envelope) {
        String subject = envelope.subject();
        return connection.preparedQuery("SELECT pg_advisory_xact_lock(hashtext($1))").execute(Tuple.of(subject))
                .chain(() -> connection.preparedQuery("SELECT id, chain_hash FROM outbox_event WHERE subject = $1"
                        + " ORDER BY seq DESC LIMIT 1").execute(Tuple.of(subject)))
                .chain(previous -> {
                    Row last = previous.rowCount() == 0 ? null : previous.iterator().next();
                    String previousId = last == null ? null : last.getString("id");
                    String previousHash = last == null ? null : last.getString("chain_hash");
                    String payload = EventJson.toJson(envelope.data());
                    String hash = EventChain.hash(previousHash, envelope.id(), envelope.type(), envelope.source(),
                            subject, envelope.time(), envelope.correlationId(), envelope.causationId(),
                            payload.getBytes(StandardCharsets.UTF_8));
                    return connection.preparedQuery(INSERT_EVENT).execute(Tuple.from(Arrays.asList(envelope.id(),
                            EventCatalog.typeOf(envelope.data()).topic(), TopicKeys.keyOf(envelope.data()),
                            envelope.type(), envelope.source(), subject, envelope.time().atOffset(ZoneOffset.UTC),
                            envelope.correlationId(), envelope.causationId(), payload, previousId, hash)));
                })
                .replaceWithVoid();
    }
}
