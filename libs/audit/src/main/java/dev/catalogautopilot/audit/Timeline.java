package dev.catalogautopilot.audit;

import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.rollout.ClusterUpdated;
import dev.catalogautopilot.events.rollout.RolloutActionRecorded;
import dev.catalogautopilot.events.rollout.RolloutCompleted;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Who did what, when: the events of one pipeline run or of one catalog over a time range, in time order. */
public final class Timeline {

    /** One line of a timeline. */
    public record Entry(Instant time, String who, String what, String subject, String id, String causationId,
            String summary) {
    }

    private Timeline() {
    }

    public static List<Entry> ofRun(List<AuditEvent> log, String correlationId) {
        return of(log, e -> correlationId.equals(e.envelope().correlationId()));
    }

    public static List<Entry> ofCatalog(List<AuditEvent> log, String catalog, Instant from, Instant to) {
        return of(log, e -> catalog.equals(e.envelope().subject())
                && (from == null || !e.envelope().time().isBefore(from))
                && (to == null || e.envelope().time().isBefore(to)));
    }

    private static List<Entry> of(List<AuditEvent> log, Predicate<AuditEvent> filter) {
        Map<String, AuditEvent> unique = new LinkedHashMap<>();
        log.stream().filter(filter).forEach(e -> unique.putIfAbsent(e.envelope().id(), e));
        return unique.values().stream()
                .sorted(Comparator.comparing((AuditEvent e) -> e.envelope().time()).thenComparing(AuditEvent::offset))
                .map(e -> new Entry(e.envelope().time(), e.envelope().source(), e.envelope().type(),
                        e.envelope().subject(), e.envelope().id(), e.envelope().causationId(), summary(e)))
                .toList();
    }

    static String summary(AuditEvent event) {
        Object data = event.envelope().data();
        if (data instanceof CatalogChanged c) {
            return c.trigger() + " revision " + c.revision() + " (" + c.added().size() + " added, "
                    + c.updated().size() + " updated, " + c.removed().size() + " removed)";
        }
        if (data instanceof CatalogBuilt b) {
            return "built " + b.image();
        }
        if (data instanceof CatalogMirrored m) {
            return "mirrored " + m.catalogImage();
        }
        if (data instanceof ClusterUpdated u) {
            return "cluster " + u.cluster() + " (wave " + u.wave() + ") now runs " + u.newImage();
        }
        if (data instanceof RolloutActionRecorded a) {
            return a.action() + " by " + a.actor() + (a.reason() == null ? "" : ": " + a.reason());
        }
        if (data instanceof RolloutCompleted r) {
            return "rollout " + r.rolloutId() + " completed on " + r.clusters() + " clusters";
        }
        return "";
    }
}
