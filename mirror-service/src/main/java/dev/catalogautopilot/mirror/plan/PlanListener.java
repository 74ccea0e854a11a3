package dev.catalogautopilot.mirror.plan;

import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventIds;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import dev.catalogautopilot.mirror.IncomingEvents;
import dev.catalogautopilot.mirror.config.MirrorConfig;
import dev.catalogautopilot.outbox.consumer.ConsumerRetry;
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
 * per image. Other event types on {@code catalog.builds} are acknowledged and ignored; undecodable records go to
 * the dead-letter topic.
 */
@ApplicationScoped
public class PlanListener {

    private static final Logger LOG = Logger.getLogger(PlanListener.class);

    private final MirrorPlanner planner;
    private final PlanStore store;
    private final Path manifestsDir;
    private final Clock clock = Clock.systemUTC();

    @Inject
    ConsumerRetry retry;

    public PlanListener(MirrorConfig config, PlanStore store) {
        this.planner = new MirrorPlanner(TargetNaming.of(config.destination(), config.maxComponents()));
        this.store = store;
        this.manifestsDir = Path.of(config.manifestsDir());
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
        String planId = planId(built.id());
        MirrorPlan plan = planner.plan(built.data());
        List<EventEnvelope<MirrorJobRequested>> requests = plan.images().stream()
                .map(image -> EventEnvelope.causedBy(built, EventSources.MIRROR, new MirrorJobRequested(planId,
                        built.data().catalog(), image.source().toString(), image.target().toString(), 1),
                        image.source().toString(), clock))
                .toList();
        boolean planned = store.save(built, planId, plan, requests);
        ManifestFiles.write(manifestsDir, built.data().catalog(), planId, plan);
        if (planned) {
            LOG.infof("plan %s for catalog %s: %d images, %d rejected references", planId, built.data().catalog(),
                    plan.images().size(), plan.rejected().size());
            plan.rejected().forEach(r -> LOG.warnf("plan %s cannot mirror '%s': %s", planId, r.reference(),
                    r.reason()));
        }
    }
}
