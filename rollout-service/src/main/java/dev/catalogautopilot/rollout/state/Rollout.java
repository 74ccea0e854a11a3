package dev.catalogautopilot.rollout.state;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One rollout of a mirrored catalog image; its id is the id of its rollout-started event. */
@Entity
@Table(name = "rollout")
public class Rollout extends PanacheEntityBase {

    @Id
    public String id;

    public String catalog;

    /** The mirrored catalog image by digest: what every CatalogSource will point at. */
    public String image;

    public String digest;

    @Enumerated(EnumType.STRING)
    public RolloutStatus status;

    public boolean paused;

    /** The {@link RolloutTarget} as JSON. */
    public String target;

    @Column(name = "mirrored_event_id")
    public String mirroredEventId;

    @Column(name = "correlation_id")
    public String correlationId;

    public String supersedes;

    @Column(name = "superseded_by")
    public String supersededBy;

    @Column(name = "created_at")
    public Instant createdAt;

    /** When the build it rolls out was published ({@code CatalogMirrored.builtAt}); null for a re-drive. */
    @Column(name = "built_at")
    public Instant builtAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** The driver instance advancing the rollout, while {@link #leaseUntil} has not passed. */
    @Column(name = "lease_owner")
    public String leaseOwner;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    /** When a worker or the driver last moved the rollout on. */
    @Column(name = "progress_at")
    public Instant progressAt;
}
