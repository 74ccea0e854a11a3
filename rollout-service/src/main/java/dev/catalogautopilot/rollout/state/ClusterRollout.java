package dev.catalogautopilot.rollout.state;

import dev.catalogautopilot.events.rollout.MirrorSetOutcome;
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

/** One cluster of one rollout, with the checkpoints a restarted service resumes from. */
@Entity
@Table(name = "cluster_rollout")
public class ClusterRollout extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "rollout_id")
    public String rolloutId;

    public String cluster;

    @Column(name = "wave_index")
    public int waveIndex;

    /** Order within the wave. */
    public int position;

    @Enumerated(EnumType.STRING)
    public ClusterState state;

    @Enumerated(EnumType.STRING)
    public ClusterPhase phase;

    /** {@code spec.image} before the patch; null if the CatalogSource did not exist. */
    @Column(name = "previous_image")
    public String previousImage;

    @Column(name = "created_catalog_source")
    public boolean createdCatalogSource;

    /** Whether this rollout changed {@code spec.image} (false when the cluster was already at the image). */
    public boolean patched;

    @Enumerated(EnumType.STRING)
    @Column(name = "mirror_set")
    public MirrorSetOutcome mirrorSet;

    @Column(name = "patch_sent_at")
    public Instant patchSentAt;

    @Column(name = "patched_resource_version")
    public String patchedResourceVersion;

    @Column(name = "started_at")
    public Instant startedAt;

    /** End of the current worker's observation window; each worker that takes the cluster up opens a fresh one. */
    @Column(name = "deadline_at")
    public Instant deadlineAt;

    /** Workers that took the cluster up so far; a worker's writes apply only while its attempt is the current one. */
    public int attempt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    public String reason;
}
