package dev.catalogautopilot.rollout.state;

import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** What a rollout needs from a consumed catalog-mirrored event, kept so that a re-drive can replay it. */
@Entity
@Table(name = "mirrored_catalog")
public class MirroredCatalog extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public String eventId;

    public String catalog;

    @Column(name = "catalog_image")
    public String catalogImage;

    @Column(name = "image_content_source_policy")
    public String imageContentSourcePolicy;

    @Column(name = "image_digest_mirror_set")
    public String imageDigestMirrorSet;

    @Column(name = "correlation_id")
    public String correlationId;

    @Column(name = "event_time")
    public Instant eventTime;

    @Column(name = "received_at")
    public Instant receivedAt;

    static MirroredCatalog of(EventEnvelope<CatalogMirrored> event, RolloutTarget target, Instant receivedAt) {
        MirroredCatalog row = new MirroredCatalog();
        row.eventId = event.id();
        row.catalog = event.data().catalog();
        row.catalogImage = event.data().catalogImage();
        row.imageContentSourcePolicy = target.imageContentSourcePolicy();
        row.imageDigestMirrorSet = target.imageDigestMirrorSet();
        row.correlationId = event.correlationId();
        row.eventTime = event.time();
        row.receivedAt = receivedAt;
        return row;
    }
}
