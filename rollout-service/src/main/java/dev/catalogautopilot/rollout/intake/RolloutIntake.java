package dev.catalogautopilot.rollout.intake;

import dev.catalogautopilot.events.ContentRef;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.RegistryException;
import dev.catalogautopilot.registry.RegistryFailures;
import dev.catalogautopilot.rollout.config.RolloutConfig;
import dev.catalogautopilot.rollout.fleet.Fleet;
import dev.catalogautopilot.rollout.mirrorset.MirrorSet;
import dev.catalogautopilot.rollout.run.RolloutDriver;
import dev.catalogautopilot.rollout.state.RolloutStore;
import dev.catalogautopilot.rollout.state.RolloutTarget;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Turns a catalog-mirrored event into a persisted rollout (the driver does the work later), or recognises a
 * redelivery; and re-drives a catalog from an event consumed earlier. An event that cannot be rolled out (no digest,
 * unreadable mirror set) fails, which sends it to the dead-letter topic with the reason; so does one about a catalog
 * the service is not configured for, or naming an image or content outside the mirror destination, before anything
 * is read from where it points.
 */
@ApplicationScoped
public class RolloutIntake {

    private static final Logger LOG = Logger.getLogger(RolloutIntake.class);

    private final Fleet fleet;
    private final RolloutStore store;
    private final RolloutDriver driver;
    private final MirrorSetContent content;
    private final AllowedDestination destination;

    public RolloutIntake(Fleet fleet, RolloutStore store, RolloutDriver driver, MirrorSetContent content,
            RolloutConfig config) {
        this.fleet = fleet;
        this.store = store;
        this.driver = driver;
        this.content = content;
        this.destination = config.mirrorDestination().map(AllowedDestination::parse).orElse(null);
    }

    /**
     * Reads the event's mirror sets from the mirror registry (on a worker thread, back on the caller's context), then
     * persists the rollout. Content that is missing or not what the event names fails the event.
     */
    public Uni<Optional<String>> accept(EventEnvelope<CatalogMirrored> event) {
        CatalogMirrored mirrored = event.data();
        List<String> references = new ArrayList<>();
        references.add(mirrored.catalogImage());
        for (ContentRef ref : new ContentRef[] {mirrored.imageContentSourcePolicy(), mirrored.imageDigestMirrorSet(),
                mirrored.mapping()}) {
            if (ref != null) {
                references.add(ref.reference());
            }
        }
        Optional<String> refusal = refusal(mirrored.catalog(), references);
        if (refusal.isPresent()) {
            LOG.warnf("catalog-mirrored event %s refused: %s", event.id(), refusal.get());
            return Uni.createFrom().failure(new IllegalArgumentException("catalog-mirrored event " + event.id()
                    + " refused: " + refusal.get()));
        }
        return Vertx.currentContext().executeBlocking(() -> content.read(mirrored))
                .onFailure(RegistryException.class).transform(failure -> RegistryFailures.isPermanent(failure)
                        ? new IllegalArgumentException("catalog-mirrored event " + event.id()
                                + " names mirror sets that cannot be read: " + failure.getMessage(), failure)
                        : failure)
                .chain(documents -> {
                    RolloutTarget target;
                    try {
                        target = target(mirrored.catalog(), mirrored.catalogImage(),
                                documents.imageContentSourcePolicy(), documents.imageDigestMirrorSet());
                    } catch (IllegalArgumentException invalid) {
                        return Uni.createFrom().failure(new IllegalArgumentException("catalog-mirrored event "
                                + event.id() + " cannot be rolled out: " + invalid.getMessage(), invalid));
                    }
                    return start(event, target);
                });
    }

    private Uni<Optional<String>> start(EventEnvelope<CatalogMirrored> event, RolloutTarget target) {
        return store.start(event, fleet.plan(), target).invoke(started -> {
            if (started.isPresent()) {
                LOG.infof("catalog %s: rollout %s of %s started (event %s)", event.data().catalog(), started.get(),
                        target.image(), event.id());
                driver.requestPass();
            } else {
                LOG.infof("catalog %s: event %s was already processed, or mirrors an older build; nothing to do",
                        event.data().catalog(), event.id());
            }
        });
    }

    /**
     * Re-drives {@code catalog} from the catalog-mirrored event {@code eventId} consumed earlier: a new rollout with
     * today's fleet plan and CatalogSource settings, as if the event had arrived again.
     */
    public Uni<RedriveResult> redrive(String catalog, String eventId, String actor, String reason, String requestId) {
        return store.mirrored(eventId).chain(original -> {
            if (original == null) {
                return Uni.createFrom().item(RedriveResult.notFound(
                        "no catalog-mirrored event " + eventId + " was consumed by this service"));
            }
            if (!original.catalog.equals(catalog)) {
                return Uni.createFrom().item(RedriveResult.conflict("catalog-mirrored event " + eventId
                        + " is of catalog " + original.catalog + ", not " + catalog));
            }
            Optional<String> refusal = refusal(catalog, List.of(original.catalogImage));
            if (refusal.isPresent()) {
                return Uni.createFrom().item(RedriveResult.conflict("catalog-mirrored event " + eventId
                        + " cannot be re-driven: " + refusal.get()));
            }
            RolloutTarget target = target(original.catalog, original.catalogImage,
                    original.imageContentSourcePolicy, original.imageDigestMirrorSet);
            return store.redrive(original, fleet.plan(), target, actor, reason, requestId).map(redrive -> {
                if (!redrive.repeated()) {
                    LOG.infof("catalog %s: %s re-drove event %s as rollout %s of %s", catalog, actor, eventId,
                            redrive.rolloutId(), target.image());
                    driver.requestPass();
                }
                return RedriveResult.of(redrive);
            });
        });
    }

    /**
     * Why an event about {@code catalog} naming {@code references} (its catalog image and content) is refused, or
     * empty: only configured catalogs, and only images under the configured mirror destination.
     */
    private Optional<String> refusal(String catalog, List<String> references) {
        if (!fleet.rollsOut(catalog)) {
            return Optional.of("catalog " + catalog + " is not configured (rollout.catalogs." + catalog + ")");
        }
        if (destination == null) {
            return Optional.of("no mirror destination is configured (rollout.mirror-destination)");
        }
        for (int i = 0; i < references.size(); i++) {
            Optional<String> outside = destination.refusal(i == 0 ? "catalog image" : "content", references.get(i));
            if (outside.isPresent()) {
                return outside;
            }
        }
        return Optional.empty();
    }

    private RolloutTarget target(String catalog, String catalogImage, String imageContentSourcePolicy,
            String imageDigestMirrorSet) {
        ImageReference image = ImageReference.parse(catalogImage);
        if (image.digest() == null) {
            throw new IllegalArgumentException("catalog image " + catalogImage + " has no digest");
        }
        for (String document : new String[] {imageContentSourcePolicy, imageDigestMirrorSet}) {
            if (document != null && !document.isBlank()) {
                MirrorSet.parse(document);
            }
        }
        return new RolloutTarget(image.withoutTag().toString(), fleet.catalogSource(catalog),
                imageContentSourcePolicy, imageDigestMirrorSet);
    }
}
