package dev.catalogautopilot.watcher.outbox;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
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

    @Column(name = "published_at")
    public Instant publishedAt;
}
