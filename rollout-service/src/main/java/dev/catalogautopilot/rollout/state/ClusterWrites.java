package dev.catalogautopilot.rollout.state;

import dev.catalogautopilot.events.Cause;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.rollout.ClusterFailed;
import dev.catalogautopilot.events.rollout.ClusterRolledBack;
import dev.catalogautopilot.events.rollout.ClusterUpdated;
import dev.catalogautopilot.events.rollout.MirrorSetOutcome;
import dev.catalogautopilot.outbox.Outbox;
import dev.catalogautopilot.outbox.ReactiveWork;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Group commit of the cluster workers' writes: a worker hands in its checkpoint or outcome and waits; one writer
 * thread applies everything handed in meanwhile in one transaction per rollout, with one lease check, one read of
 * the rows, waves and fleet cells concerned, and their events added to the outbox together. Idle, a write commits
 * at once; under load the batches grow instead of the transactions queueing on the rollout's row lock.
 */
@ApplicationScoped
public class ClusterWrites {

    private static final Logger LOG = Logger.getLogger(ClusterWrites.class);
    /** Writes applied in one transaction at most. */
    static final int BATCH = 200;
    /** How long a worker waits for its write; past that it stops and is resumed from the last checkpoint. */
    private static final Duration WAIT = Duration.ofSeconds(60);

    private record Pending(String rolloutId, String owner, ClusterWrite write, CompletableFuture<Boolean> done) {
    }

    private final Outbox outbox;
    private final Clock clock;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean stopped;

    public ClusterWrites(Outbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
        this.writer = new Thread(this::drain, "rollout-cluster-writes");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Applies {@code write} for the rollout's lease holder {@code owner}; false if it may no longer write (lease
     * lost, rollout over, cluster finished or taken over).
     */
    public boolean write(String rolloutId, String owner, ClusterWrite write) {
        Pending pending = new Pending(rolloutId, owner, write, new CompletableFuture<>());
        queue.add(pending);
        try {
            return pending.done().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for a cluster write", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("a cluster write took longer than " + WAIT, e);
        }
    }

    private void drain() {
        while (!stopped) {
            List<Pending> batch = new ArrayList<>();
            try {
                Pending first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, BATCH - 1);
            Map<String, List<Pending>> byRollout = batch.stream().collect(Collectors.groupingBy(
                    p -> p.rolloutId() + " " + p.owner(), LinkedHashMap::new, Collectors.toList()));
            byRollout.values().forEach(this::commit);
        }
    }

    /** One transaction for the group; if it fails, each write alone, so a bad one fails only its own worker. */
    private void commit(List<Pending> group) {
        try {
            complete(group, apply(group));
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                group.get(0).done().completeExceptionally(e);
                return;
            }
            LOG.debugf("a batch of %d cluster writes failed, applying them one by one: %s", group.size(), e);
            group.forEach(one -> {
                try {
                    complete(List.of(one), apply(List.of(one)));
                } catch (RuntimeException alone) {
                    one.done().completeExceptionally(alone);
                }
            });
        }
    }

    private static void complete(List<Pending> group, List<Boolean> results) {
        for (int i = 0; i < group.size(); i++) {
            group.get(i).done().complete(results.get(i));
        }
    }

    private List<Boolean> apply(List<Pending> group) {
        String rolloutId = group.get(0).rolloutId();
        String owner = group.get(0).owner();
        List<ClusterWrite> writes = group.stream().map(Pending::write).toList();
        return ReactiveWork.await(() -> Panache.withTransaction(() -> RolloutStore.lease(rolloutId, owner)
                .chain(rollout -> rollout == null
                        ? Uni.createFrom().item(writes.stream().map(w -> false).toList())
                        : apply(rollout, writes))));
    }

    private Uni<List<Boolean>> apply(Rollout rollout, List<ClusterWrite> writes) {
        List<String> names = writes.stream().map(ClusterWrite::cluster).distinct().toList();
        return ClusterRollout.<ClusterRollout>list("rolloutId = ?1 and cluster in ?2", rollout.id, names)
                .chain(rows -> RolloutWave.<RolloutWave>list("rolloutId = ?1", rollout.id)
                        .chain(waves -> FleetCell.<FleetCell>list("catalog = ?1 and cluster in ?2", rollout.catalog,
                                        names)
                                .chain(cells -> new Batch(rollout, byKey(rows, r -> r.cluster),
                                        byKey(waves, w -> w.waveIndex), byKey(cells, c -> c.cluster))
                                        .apply(writes))));
    }

    private static <K, V> Map<K, V> byKey(List<V> values, Function<V, K> key) {
        return values.stream().collect(Collectors.toMap(key, v -> v, (a, b) -> a));
    }

    /** The writes of one transaction, applied in the order they came. */
    private final class Batch {
        private final Rollout rollout;
        private final Map<String, ClusterRollout> rows;
        private final Map<Integer, RolloutWave> waves;
        private final Map<String, FleetCell> cells;
        private final List<Object> inserts = new ArrayList<>();
        private final List<EventEnvelope<?>> events = new ArrayList<>();
        // Fleet-state changes carry the precision of event times, so the state can be rebuilt from the events.
        private final Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);

        Batch(Rollout rollout, Map<String, ClusterRollout> rows, Map<Integer, RolloutWave> waves,
                Map<String, FleetCell> cells) {
            this.rollout = rollout;
            this.rows = rows;
            this.waves = waves;
            this.cells = cells;
        }

        Uni<List<Boolean>> apply(List<ClusterWrite> writes) {
            List<Boolean> results = writes.stream().map(this::apply).toList();
            if (results.contains(true)) {
                rollout.progressAt = now;
            }
            Uni<Void> persisted = inserts.isEmpty() ? Uni.createFrom().voidItem()
                    : FleetCell.persist(inserts);
            return persisted.chain(this::addEvents).replaceWith(results);
        }

        private boolean apply(ClusterWrite write) {
            ClusterRollout row = rows.get(write.cluster());
            if (row == null || row.state != ClusterState.IN_PROGRESS
                    || (write.attempt() != ClusterWrite.ANY_ATTEMPT && write.attempt() != row.attempt)) {
                return false;
            }
            if (write instanceof ClusterWrite.Checkpoint checkpoint) {
                checkpoint.change().accept(row);
            } else if (write instanceof ClusterWrite.Updated updated) {
                updated(row, updated.verifiedAt());
            } else if (write instanceof ClusterWrite.Failed failed) {
                failed(row, failed.reason(), failed.restoredImage(), failed.rollbackFailed());
            } else if (write instanceof ClusterWrite.TakeOver takeOver) {
                row.attempt++;
                if (row.patched) {
                    row.phase = ClusterPhase.ROLLING_BACK;
                    row.reason = takeOver.reason();
                } else {
                    failed(row, takeOver.reason(), Optional.empty(), false);
                }
            }
            return true;
        }

        private void updated(ClusterRollout row, Instant verifiedAt) {
            row.state = ClusterState.UPDATED;
            row.phase = null;
            row.finishedAt = now;
            MirrorSetOutcome mirrorSet = row.mirrorSet == null ? MirrorSetOutcome.UNCHANGED : row.mirrorSet;
            recordCell(row, rollout.image, FleetCellState.CURRENT, null);
            events.add(EventEnvelope.causedBy(cause(row), RolloutStore.SOURCE, new ClusterUpdated(rollout.catalog,
                    rollout.id, row.cluster, row.waveIndex, row.previousImage, rollout.image, mirrorSet, verifiedAt),
                    row.cluster, RolloutStore.at(now)));
        }

        private void failed(ClusterRollout row, String reason, Optional<String> restoredImage,
                boolean rollbackFailed) {
            row.state = restoredImage.isPresent() ? ClusterState.ROLLED_BACK : ClusterState.FAILED;
            row.phase = null;
            row.finishedAt = now;
            row.reason = reason;
            FleetCellState cell = restoredImage.isPresent() ? FleetCellState.ROLLED_BACK
                    : rollbackFailed ? FleetCellState.UNKNOWN : FleetCellState.FAILED;
            String image = restoredImage.orElse(rollbackFailed ? null : row.previousImage);
            recordCell(row, image, cell, reason);
            Cause cause = cause(row);
            events.add(EventEnvelope.causedBy(cause, RolloutStore.SOURCE, new ClusterFailed(rollout.catalog,
                    rollout.id, row.cluster, row.waveIndex, reason, image, rollbackFailed), row.cluster,
                    RolloutStore.at(now)));
            restoredImage.ifPresent(restored -> events.add(EventEnvelope.causedBy(cause, RolloutStore.SOURCE,
                    new ClusterRolledBack(rollout.catalog, rollout.id, row.cluster, row.waveIndex, restored),
                    row.cluster, RolloutStore.at(now))));
        }

        private Cause cause(ClusterRollout row) {
            return RolloutStore.cause(rollout, waves.get(row.waveIndex));
        }

        private void recordCell(ClusterRollout row, String image, FleetCellState state, String reason) {
            FleetCell existing = cells.get(row.cluster);
            FleetCell cell = existing != null ? existing : new FleetCell();
            String previous = existing != null ? existing.image : row.previousImage;
            cell.cluster = row.cluster;
            cell.catalog = rollout.catalog;
            if (state != FleetCellState.UNKNOWN && image != null) {
                if (!image.equals(cell.image)) {
                    // A cell first seen on a failure runs the image it had, since before we knew.
                    cell.since = existing == null && state != FleetCellState.CURRENT ? null : now;
                }
                cell.image = image;
                cell.digest = RolloutStore.digestOf(image);
            }
            cell.state = state;
            cell.causeEventId = rollout.mirroredEventId;
            cell.rolloutId = rollout.id;
            cell.updatedAt = now;
            if (existing == null) {
                cells.put(row.cluster, cell);
                inserts.add(cell);
            }
            FleetChange change = new FleetChange();
            change.cluster = row.cluster;
            change.catalog = rollout.catalog;
            change.image = state == FleetCellState.UNKNOWN ? null : image;
            change.previousImage = previous;
            change.state = state;
            change.at = now;
            change.causeEventId = rollout.mirroredEventId;
            change.rolloutId = rollout.id;
            change.reason = reason;
            inserts.add(change);
        }

        /** Adds the events not yet in the outbox (deterministic ids: a re-applied outcome yields the same ones). */
        private Uni<Void> addEvents() {
            return outbox.addAllOnce(events).replaceWithVoid();
        }
    }

    void shutdown(@Observes ShutdownEvent event) {
        stopped = true;
        writer.interrupt();
    }
}
