package dev.catalogautopilot.rollout.state;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One cell of the fleet matrix: a catalog on a cluster. */
@Entity
@Table(name = "fleet_state")
public class FleetCell extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String cluster;

    public String catalog;

    /** The image the CatalogSource points at, as far as the service knows. */
    public String image;

    public String digest;

    @Enumerated(EnumType.STRING)
    public FleetCellState state;

    /** When the cluster started running {@link #image}. */
    public Instant since;

    /** The catalog-mirrored event whose rollout last changed this cell. */
    @Column(name = "cause_event_id")
    public String causeEventId;

    @Column(name = "rollout_id")
    public String rolloutId;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
