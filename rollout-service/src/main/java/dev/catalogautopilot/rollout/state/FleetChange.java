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

/** One entry of a cell's history: what a rollout did to a catalog on a cluster. */
@Entity
@Table(name = "fleet_change")
public class FleetChange extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String cluster;

    public String catalog;

    public String image;

    @Column(name = "previous_image")
    public String previousImage;

    @Enumerated(EnumType.STRING)
    public FleetCellState state;

    public Instant at;

    @Column(name = "cause_event_id")
    public String causeEventId;

    @Column(name = "rollout_id")
    public String rolloutId;

    public String reason;
}
