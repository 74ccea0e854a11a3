package dev.catalogautopilot.mirror.plan;

import dev.catalogautopilot.events.ContentTypes;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventIds;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import dev.catalogautopilot.mirror.IncomingEvents;
import dev.catalogautopilot.mirror.config.MirrorConfig;
import dev.catalogautopilot.outbox.consumer.ConsumerRetry;
import dev.catalogautopilot.registry.ContentArtifacts;
import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.registry.RegistryFailures;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The planner: turns each {@code catalog.built.v1} into a persisted plan and one {@code mirror.job.requested.v1}
 * per image. It reads the build's referenced images from the content the event names, and publishes the plan's
 * own content (mapping, mirror sets) for the completion event to name. A build that cannot be planned (its
 * content is missing or not what the event committed to, its catalog image cannot be mirrored) fails with a
 * {@code catalog.mirror-failed.v1} naming the reason. Other event types on {@code catalog.builds} are
 * acknowledged and ignored; undecodable records go to the dead-letter topic.
 */
@ApplicationScoped
public class PlanListener {

    private static final Logger LOG = Logger.getLogger(PlanListener.class);

    private final MirrorPlanner planner;
    private final PlanStore store;
    private final RegistryClient registry;
    private final Path manifestsDir;
    private final MirrorConfig.Plans plans;
    private final Clock clock = Clock.systemUTC();

    @Inject
    ConsumerRetry retry;

    public PlanListener(MirrorConfig config, PlanStore store, RegistryClient registry) {
        this.planner = new MirrorPlanner(TargetNaming.of(config.destination(), config.maxComponents()));
        this.store = store;
        this.registry = registry;
        this.manifestsDir = Path.of(config.manifestsDir());
        this.plans = config.plans();
    }

    /** The plan id of a build event: derived from its id, so replaying the event names the same plan. */
    public static String planId(String buildEventId) {
        return EventIds.derive(buildEventId, "mirror-plan");
    }

    /**
     * Runs on a worker thread; infrastructure failures are retried in place, and only an undecodable or invalid
     * record is dead-lettered.
     */
    @Incoming("builds")
    public Uni<Void> onRecord(ConsumerRecord<String, byte[]> record) {
        return retry.blocking(record, () -> handle(record));
    }

    void handle(ConsumerRecord<String, byte[]> record) {
        IncomingEvents.decode(record).filter(event -> event.data() instanceof CatalogBuilt)
                .ifPresent(event -> plan(event.as(CatalogBuilt.class)));
    }

    void plan(EventEnvelope<CatalogBuilt> built) {
        if (store.planned(built.id())) {
            return; // a redelivery: its plan is stored, and its content need not be read again
        }
        String planId = planId(built.id());
        CatalogBuilt data = built.data();
        MirrorPlan plan;
        try {
            List<String> referenced = new ContentArtifacts(registry).readText(data.referencedImages().reference(),
                    data.referencedImages().size(), ContentTypes.MAX_CONTENT_BYTES).lines()
                    .filter(line -> !line.isBlank()).toList();
            plan = planner.plan(data.catalog(), data.image(), referenced);
        } catch (RuntimeException e) {
            if (!RegistryFailures.isPermanent(e)) {
                throw e; // the registry is away: planning is retried
            }
            String reason = "build " + data.image() + " cannot be planned: " + e.getMessage();
            if (store.refuse(built, planId, reason)) {
                LOG.warnf("plan %s for catalog %s refused: %s", planId, data.catalog(), reason);
            }
            return;
        }
        PlanArtifact artifact = PlanArtifact.publish(registry, plan);
        List<EventEnvelope<MirrorJobRequested>> requests = plan.images().stream()
                .map(image -> EventEnvelope.causedBy(built, EventSources.MIRROR, new MirrorJobRequested(planId,
                        data.catalog(), image.source().toString(), image.target().toString(), 1),
                        image.source().toString(), clock))
                .toList();
        PlanStore.Saved saved = store.save(built, planId, plan, artifact, requests, plans.deadline(),
                plans.reuseMirroredFor());
        ManifestFiles.write(manifestsDir, data.catalog(), planId, plan);
        if (saved.planned()) {
            LOG.infof("plan %s for catalog %s: %d images (%d already in the mirror), %d rejected references", planId,
                    data.catalog(), plan.images().size(), saved.reused(), plan.rejected().size());
            plan.rejected().stream().limit(20).forEach(r -> LOG.warnf("plan %s cannot mirror '%s': %s", planId,
                    r.reference(), r.reason()));
        }
    }
}
