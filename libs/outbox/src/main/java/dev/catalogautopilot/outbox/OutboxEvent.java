package dev.catalogautopilot.outbox;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import dev.catalogautopilot.events.EventCatalog;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventJson;
import dev.catalogautopilot.events.TopicKeys;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An event written in the same transaction as the state change that caused it, and published to Kafka
 * afterwards by {@link OutboxRelay}. Its id is the CloudEvents id, so a re-publish after a crash is a duplicate
 * that consumers recognise.
 */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    public String id;

    public String topic;

    @Column(name = "event_key")
    public String key;

    public String type;

    public String source;

    public String subject;

    public Instant time;

    @Column(name = "correlation_id")
    public String correlationId;

    @Column(name = "causation_id")
    public String causationId;

    public String payload;

    /** Id of the previous event this service published about the same catalog; null for the first. */
    @Column(name = "chain_previous")
    public String chainPrevious;

    /** {@link dev.catalogautopilot.events.EventChain} hash over the previous hash and this event. */
    @Column(name = "chain_hash")
    public String chainHash;

    @Column(name = "published_at")
    public Instant publishedAt;

    /** When the relay gave up on this event because Kafka refuses it for good; null while it is publishable. */
    @Column(name = "parked_at")
    public Instant parkedAt;

    /** Why Kafka refused the event, as the relay's send reported it; set with {@link #parkedAt}. */
    @Column(name = "park_reason")
    public String parkReason;

    /** The row for an event: its topic and key follow from the event's type and data. */
    static OutboxEvent of(EventEnvelope<?> envelope) {
        OutboxEvent row = new OutboxEvent();
        row.id = envelope.id();
        row.topic = EventCatalog.typeOf(envelope.data()).topic();
        row.key = TopicKeys.keyOf(envelope.data());
        row.type = envelope.type();
        row.source = envelope.source();
        row.subject = envelope.subject();
        row.time = envelope.time();
        row.correlationId = envelope.correlationId();
        row.causationId = envelope.causationId();
        row.payload = EventJson.toJson(envelope.data());
        return row;
    }
}
