package dev.catalogautopilot.builder.build;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One change event to build, leased by a runner; once finished, one line of the catalog's build history. */
@Entity
@Table(name = "build_job")
public class BuildJob extends PanacheEntityBase {

    /** Lifecycle of a job. */
    public enum Status {
        QUEUED, RUNNING, SUCCEEDED, FAILED, SUPERSEDED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    public String catalog;

    /** The change event's id: the cause of the build event, and what makes the build event's id deterministic. */
    @Column(name = "event_id")
    public String eventId;

    @Column(name = "correlation_id")
    public String correlationId;

    public String revision;

    /** The {@code CatalogChanged} data as JSON. */
    @Column(name = "change_event")
    public String changeEvent;

    public String status;

    /** Leases taken so far: a worker that dies mid-build has used one up. */
    public int attempts;

    /** The runner and attempt holding the lease ({@code <instance>#<attempt>}). */
    @Column(name = "lease_owner")
    public String leaseOwner;

    /** For a running job, when its lease ends; for a queued job being retried, when it may run again. */
    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** Set when the job is first leased: it fails if still open after this. */
    @Column(name = "deadline_at")
    public Instant deadlineAt;

    /** The pushed image by digest, when it succeeded. */
    public String image;

    /** Why it failed, was retried or was superseded. */
    public String reason;

    /** The emitted event's data as JSON. */
    public String result;

    /** The {@code CatalogSummary} as JSON, when it succeeded; the next build diffs against it. */
    public String summary;

    public Status state() {
        return Status.valueOf(status);
    }
}
