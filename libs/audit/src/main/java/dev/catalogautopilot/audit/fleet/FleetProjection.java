package dev.catalogautopilot.audit.fleet;

import dev.catalogautopilot.audit.AuditEvent;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.rollout.ClusterFailed;
import dev.catalogautopilot.events.rollout.ClusterRolledBack;
import dev.catalogautopilot.events.rollout.ClusterUpdated;
import dev.catalogautopilot.events.rollout.RolloutStarted;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.ImageReference;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fleet matrix rebuilt from {@code rollout.events} alone, with rollout-service's rules for a cell
 * ({@code RolloutStore.recordCell}): a verified cluster is CURRENT at the rollout's image; a failure records the
 * image the cluster was left on (ROLLED_BACK when a rollback restored it, FAILED when nothing was changed) or,
 * when the rollback failed, keeps the image and marks the cell UNKNOWN. {@code since} moves only when the image
 * changes, and a cell first seen on a failure has no {@code since}. The cell's cause is the catalog-mirrored
 * event its rollout's {@code rollout.started.v1} names as cause; its times are the events' times.
 */
public final class FleetProjection {

    private final Map<String, String> mirroredEventOfRollout = new HashMap<>();
    private final Map<String, Cell> cells = new TreeMap<>();
    private final Set<String> seen = new HashSet<>();

    private FleetProjection() {
    }

    /** Projects the log; a catalog's events are applied in log order, a re-published event once. */
    public static List<FleetCell> of(List<AuditEvent> log) {
        FleetProjection projection = new FleetProjection();
        log.stream().sorted(Comparator.comparing(AuditEvent::topic).thenComparingInt(AuditEvent::partition)
                .thenComparingLong(AuditEvent::offset)).forEach(e -> projection.apply(e.envelope()));
        return projection.cells.values().stream().map(Cell::toFleetCell).sorted(FleetCell.BY_POSITION).toList();
    }

    private void apply(EventEnvelope<?> event) {
        if (!seen.add(event.id())) {
            return;
        }
        Instant at = event.time();
        String catalog = event.subject();
        if (event.data() instanceof RolloutStarted started) {
            mirroredEventOfRollout.put(started.rolloutId(), event.causationId());
        } else if (event.data() instanceof ClusterUpdated updated) {
            record(updated.cluster(), catalog, updated.rolloutId(), updated.newImage(), "CURRENT", at);
        } else if (event.data() instanceof ClusterFailed failed) {
            record(failed.cluster(), catalog, failed.rolloutId(), failed.rollbackFailed() ? null
                    : failed.currentImage(), failed.rollbackFailed() ? "UNKNOWN" : "FAILED", at);
        } else if (event.data() instanceof ClusterRolledBack rolledBack) {
            // Follows its rollout's cluster.failed in the same transaction: the restore is what that failure left.
            record(rolledBack.cluster(), catalog, rolledBack.rolloutId(), rolledBack.restoredImage(), "ROLLED_BACK",
                    at);
        }
    }

    private void record(String cluster, String catalog, String rolloutId, String image, String state, Instant at) {
        Cell existing = cells.get(cluster + "\u0000" + catalog);
        Cell cell = existing != null ? existing : new Cell(cluster, catalog);
        if (!state.equals("UNKNOWN") && image != null) {
            if (!image.equals(cell.image)) {
                cell.since = existing == null && !state.equals("CURRENT") ? null : at;
            }
            cell.image = image;
            cell.digest = digestOf(image);
        }
        cell.state = state;
        cell.causedBy = mirroredEventOfRollout.get(rolloutId);
        cell.rolloutId = rolloutId;
        cell.updatedAt = at;
        cells.put(cluster + "\u0000" + catalog, cell);
    }

    static String digestOf(String image) {
        try {
            Digest digest = ImageReference.parse(image).digest();
            return digest == null ? null : digest.value();
        } catch (IllegalArgumentException notAReference) {
            return null;
        }
    }

    private static final class Cell {
        final String cluster;
        final String catalog;
        String image;
        String digest;
        String state;
        Instant since;
        String causedBy;
        String rolloutId;
        Instant updatedAt;

        Cell(String cluster, String catalog) {
            this.cluster = cluster;
            this.catalog = catalog;
        }

        FleetCell toFleetCell() {
            return new FleetCell(cluster, catalog, image, digest, state, since, causedBy, rolloutId, updatedAt);
        }
    }
}
