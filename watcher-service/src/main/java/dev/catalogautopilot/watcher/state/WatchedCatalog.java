package dev.catalogautopilot.watcher.state;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** The last-seen upstream state of one catalog and the health of its polling. */
@Entity
@Table(name = "watched_catalog")
public class WatchedCatalog extends PanacheEntityBase {

    @Id
    public String name;

    @Column(name = "source_type")
    public String sourceType;

    @Column(name = "source_location")
    public String sourceLocation;

    /** Null until the first successful poll. */
    public String revision;

    /** The {@code UpstreamSnapshot} as JSON. */
    public String snapshot;

    @Column(name = "last_poll_at")
    public Instant lastPollAt;

    @Column(name = "last_success_at")
    public Instant lastSuccessAt;

    @Column(name = "last_change_at")
    public Instant lastChangeAt;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "last_error_at")
    public Instant lastErrorAt;

    @Column(name = "consecutive_failures")
    public int consecutiveFailures;

    /** Two writers racing on one catalog: the loser's transaction, and its event, roll back. */
    @Version
    public long version;
}
