package dev.catalogautopilot.outbox;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An event a consumer has already handled; the row is written in the same transaction as the handling. */
@Entity
@Table(name = "processed_event")
public class ProcessedEvent extends PanacheEntityBase {

    /** {@code <consumer>/<event id>}: one service may consume the same event in several roles. */
    @Id
    public String id;

    public String consumer;

    @Column(name = "event_id")
    public String eventId;

    @Column(name = "processed_at")
    public Instant processedAt;
}
