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
import java.time.Duration;
import java.time.Instant;

/** One wave of one rollout, with the settings it was planned with. */
@Entity
@Table(name = "rollout_wave")
public class RolloutWave extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "rollout_id")
    public String rolloutId;

    @Column(name = "wave_index")
    public int waveIndex;

    public String name;

    @Column(name = "max_parallel")
    public int maxParallel;

    @Column(name = "deadline_millis")
    public long deadlineMillis;

    @Column(name = "soak_millis")
    public long soakMillis;

    @Column(name = "requires_approval")
    public boolean requiresApproval;

    public boolean approved;

    @Enumerated(EnumType.STRING)
    public WaveStatus status;

    /** The event that set the wave off (rollout started, or its approval): the cause of its events. */
    @Column(name = "cause_event_id")
    public String causeEventId;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    public Duration deadline() {
        return Duration.ofMillis(deadlineMillis);
    }

    public Duration soak() {
        return Duration.ofMillis(soakMillis);
    }
}
