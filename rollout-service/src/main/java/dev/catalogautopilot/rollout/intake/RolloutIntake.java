package dev.catalogautopilot.rollout.intake;

import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.rollout.fleet.Fleet;
import dev.catalogautopilot.rollout.mirrorset.MirrorSet;
import dev.catalogautopilot.rollout.run.RolloutDriver;
import dev.catalogautopilot.rollout.state.RolloutStore;
import dev.catalogautopilot.rollout.state.RolloutTarget;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Turns a catalog-mirrored event into a persisted rollout (the driver does the work later), or recognises a
 * redelivery. An event that cannot be rolled out (no digest, unreadable mirror set) fails, which sends it to the
 * dead-letter topic.
 */
@ApplicationScoped
public class RolloutIntake {

    private static final Logger LOG = Logger.getLogger(RolloutIntake.class);

    private final Fleet fleet;
    private final RolloutStore store;
    private final RolloutDriver driver;

    public RolloutIntake(Fleet fleet, RolloutStore store, RolloutDriver driver) {
        this.fleet = fleet;
        this.store = store;
        this.driver = driver;
    }

    public Uni<Optional<String>> accept(EventEnvelope<CatalogMirrored> event) {
        RolloutTarget target;
        try {
            target = target(event.data());
        } catch (IllegalArgumentException invalid) {
            return Uni.createFrom().failure(new IllegalArgumentException(
                    "catalog-mirrored event " + event.id() + " cannot be rolled out: " + invalid.getMessage(), invalid));
        }
        return store.start(event, fleet.plan(), target).invoke(started -> {
            if (started.isPresent()) {
                LOG.infof("catalog %s: rollout %s of %s started (event %s)", event.data().catalog(), started.get(),
                        target.image(), event.id());
                driver.requestPass();
            } else {
                LOG.infof("catalog %s: event %s was already processed; nothing to do", event.data().catalog(),
                        event.id());
            }
        });
    }

    private RolloutTarget target(CatalogMirrored mirrored) {
        ImageReference image = ImageReference.parse(mirrored.catalogImage());
        if (image.digest() == null) {
            throw new IllegalArgumentException("catalog image " + mirrored.catalogImage() + " has no digest");
        }
        for (String document : new String[] {mirrored.imageContentSourcePolicy(), mirrored.imageDigestMirrorSet()}) {
            if (document != null && !document.isBlank()) {
                MirrorSet.parse(document);
            }
        }
        return new RolloutTarget(image.withoutTag().toString(), fleet.catalogSource(mirrored.catalog()),
                mirrored.imageContentSourcePolicy(), mirrored.imageDigestMirrorSet());
    }
}
