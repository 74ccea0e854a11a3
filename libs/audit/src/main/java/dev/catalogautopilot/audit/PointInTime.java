package dev.catalogautopilot.audit;

import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.rollout.ClusterRolledBack;
import dev.catalogautopilot.events.rollout.ClusterUpdated;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Answers "which catalog image did cluster X run at time T, and which upstream change caused it?". */
public final class PointInTime {

    /** The answer: the image, the event that put it there, and the upstream change that started that run. */
    public record Answer(String cluster, String catalog, Instant at, String image, AuditEvent since,
            AuditEvent upstreamChange) {
    }

    private PointInTime() {
    }

    public static Optional<Answer> imageAt(List<AuditEvent> log, String cluster, String catalog, Instant at) {
        Optional<AuditEvent> last = log.stream()
                .filter(e -> catalog == null || catalog.equals(e.envelope().subject()))
                .filter(e -> !e.envelope().time().isAfter(at))
                .filter(e -> e.envelope().data() instanceof ClusterUpdated u && u.cluster().equals(cluster)
                        || e.envelope().data() instanceof ClusterRolledBack r && r.cluster().equals(cluster))
                .max(Comparator.comparing((AuditEvent e) -> e.envelope().time()).thenComparing(AuditEvent::offset));
        return last.map(event -> {
            AuditEvent cause = event;
            if (event.envelope().data() instanceof ClusterRolledBack r) {
                // A rollback restores what an earlier run installed: that run is the cause.
                cause = log.stream()
                        .filter(e -> e.envelope().time().isBefore(event.envelope().time()))
                        .filter(e -> e.envelope().data() instanceof ClusterUpdated u && u.cluster().equals(cluster)
                                && u.newImage().equals(r.restoredImage()))
                        .max(Comparator.comparing((AuditEvent e) -> e.envelope().time()))
                        .orElse(event);
            }
            String image = event.envelope().data() instanceof ClusterUpdated u ? u.newImage()
                    : ((ClusterRolledBack) event.envelope().data()).restoredImage();
            return new Answer(cluster, event.envelope().subject(), at, image, event,
                    upstreamChangeOf(log, cause.envelope().correlationId()));
        });
    }

    /**
     * The change event that started a run. A re-driven run has none of its own: its first event's causation id
     * names the event it replays, whose run is followed instead.
     */
    static AuditEvent upstreamChangeOf(List<AuditEvent> log, String correlationId) {
        String run = correlationId;
        for (int hops = 0; hops < 16 && run != null; hops++) {
            String current = run;
            Optional<AuditEvent> change = log.stream()
                    .filter(e -> e.envelope().data() instanceof CatalogChanged)
                    .filter(e -> e.envelope().correlationId().equals(current))
                    .findFirst();
            if (change.isPresent()) {
                return change.get();
            }
            Optional<AuditEvent> first = log.stream()
                    .filter(e -> e.envelope().correlationId().equals(current))
                    .min(Comparator.comparing((AuditEvent e) -> e.envelope().time()));
            String replayed = first.map(e -> e.envelope().causationId()).orElse(null);
            run = replayed == null ? null : log.stream().filter(e -> e.envelope().id().equals(replayed))
                    .map(e -> e.envelope().correlationId()).findFirst().orElse(null);
        }
        return null;
    }
}
