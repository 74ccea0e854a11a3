package dev.catalogautopilot.rollout.state;

import dev.catalogautopilot.events.Cause;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventIds;
import dev.catalogautopilot.events.EventJson;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.rollout.ClusterFailure;
import dev.catalogautopilot.events.rollout.RolloutAction;
import dev.catalogautopilot.events.rollout.RolloutActionRecorded;
import dev.catalogautopilot.events.rollout.RolloutCompleted;
import dev.catalogautopilot.events.rollout.RolloutHalted;
import dev.catalogautopilot.events.rollout.RolloutStarted;
import dev.catalogautopilot.events.rollout.RolloutSuperseded;
import dev.catalogautopilot.events.rollout.WaveCompleted;
import dev.catalogautopilot.events.rollout.WaveStarted;
import dev.catalogautopilot.outbox.Outbox;
import dev.catalogautopilot.outbox.OutboxEvent;
import dev.catalogautopilot.outbox.ProcessedEvents;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.rollout.fleet.PlannedWave;
import dev.catalogautopilot.rollout.fleet.RolloutPlan;
import dev.catalogautopilot.rollout.metrics.RolloutMetrics;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every state change of rollouts and of the fleet matrix, each in one transaction with the events it causes
 * (transactional outbox). Changes a driver or worker makes are fenced: they apply only while the caller holds
 * the rollout's lease and the rollout is running, so a superseded rollout or a replica that lost its lease
 * cannot write.
 */
@ApplicationScoped
public class RolloutStore {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RolloutStore.class);

    /** Consumer name under which consumed catalog-mirrored events are recorded. */
    public static final String INTAKE = "rollout-intake";

    static final String SOURCE = EventSources.ROLLOUT;
    private static final List<WaveStatus> OPEN_WAVES =
            List.of(WaveStatus.WAITING, WaveStatus.AWAITING_APPROVAL, WaveStatus.RUNNING);
    private static final List<ClusterState> OPEN_CLUSTERS = List.of(ClusterState.PENDING, ClusterState.IN_PROGRESS);

    private final Outbox outbox;
    private final ProcessedEvents processed;
    private final Clock clock;
    private final RolloutMetrics metrics;

    public RolloutStore(Outbox outbox, ProcessedEvents processed, Clock clock, RolloutMetrics metrics) {
        this.metrics = metrics;
        this.outbox = outbox;
        this.processed = processed;
        this.clock = clock;
    }

    // ---------------------------------------------------------------- intake

    /**
     * Starts a rollout for a catalog-mirrored event seen for the first time, superseding the catalog's running
     * rollouts, and keeps the event's content for re-drives; returns the new rollout's id, or empty for a
     * redelivered event.
     */
    public Uni<Optional<String>> start(EventEnvelope<CatalogMirrored> event, RolloutPlan plan, RolloutTarget target) {
        String catalog = event.data().catalog();
        Instant builtAt = event.data().builtAt();
        return Panache.withTransaction(() -> processed.firstTime(INTAKE, event.id()).chain(first -> !first
                ? Uni.createFrom().item(Optional.<String>empty())
                : keep(event, target).chain(() -> newerBuild(catalog, builtAt)).chain(newer -> newer != null
                        ? olderBuild(event, newer).replaceWith(Optional.<String>empty())
                        : running(catalog)
                                .chain(running -> create(event.asCause(), null, catalog, plan, target, running,
                                        builtAt))
                                .map(Optional::of))));
    }

    /** The catalog's newest rollout, if it rolls out a build newer than {@code builtAt}; else null. */
    private static Uni<Rollout> newerBuild(String catalog, Instant builtAt) {
        if (builtAt == null) {
            return Uni.createFrom().nullItem();
        }
        return Rollout.<Rollout>find("catalog = ?1 and builtAt > ?2 order by builtAt desc", catalog, builtAt)
                .firstResult();
    }

    /**
     * A catalog-mirrored event of a build older than the catalog's newest rollout (its plan finished late): no
     * rollout starts, and the run ends with a {@code rollout.superseded.v1} naming the newer rollout.
     */
    private Uni<Void> olderBuild(EventEnvelope<CatalogMirrored> event, Rollout newer) {
        String wouldBe = EventIds.derive(event.id(), RolloutStarted.TYPE.name());
        LOG.infof("catalog %s: event %s mirrors a build older than rollout %s's; not rolled out", newer.catalog,
                event.id(), newer.id);
        return outbox.addOnce(EventEnvelope.causedBy(event, SOURCE,
                new RolloutSuperseded(newer.catalog, wouldBe, newer.id), clock)).replaceWithVoid();
    }

    private Uni<Void> keep(EventEnvelope<CatalogMirrored> event, RolloutTarget target) {
        return MirroredCatalog.<MirroredCatalog>findById(event.id()).chain(kept -> kept != null
                ? Uni.createFrom().voidItem()
                : MirroredCatalog.of(event, target, clock.instant()).persist().replaceWithVoid());
    }

    /** A consumed catalog-mirrored event, or null if the service never consumed one with that id. */
    public Uni<MirroredCatalog> mirrored(String eventId) {
        return Panache.withSession(() -> MirroredCatalog.<MirroredCatalog>findById(eventId));
    }

    /**
     * Re-drives a catalog: replays the consumed catalog-mirrored event {@code original} as a new run, exactly as
     * if it had arrived again (superseding the catalog's running rollouts), and records the {@code REDRIVE} in the
     * new rollout. The run gets a new correlation id; its first events name {@code original} as their cause. The
     * same request id re-drives once.
     */
    public Uni<Redrive> redrive(MirroredCatalog original, RolloutPlan plan, RolloutTarget target, String actor,
            String reason, String requestId) {
        String discriminator = RolloutAction.REDRIVE.name() + ":" + requestId;
        String actionId = EventIds.derive(original.eventId, RolloutActionRecorded.TYPE.name(), discriminator);
        String rolloutId = EventIds.derive(original.eventId, RolloutStarted.TYPE.name(), discriminator);
        // The request opens the run, so the run is named after it, as a run's first event names it.
        Cause cause = new Cause(original.eventId, actionId);
        Redrive redrive = new Redrive(rolloutId, actionId, actionId, original.eventId, false);
        return Panache.withTransaction(() -> Rollout.<Rollout>findById(rolloutId).chain(existing -> existing != null
                ? Uni.createFrom().item(redrive.asRepeated())
                : outbox.add(EventEnvelope.causedBy(cause, SOURCE, new RolloutActionRecorded(original.catalog,
                                rolloutId, RolloutAction.REDRIVE, actor, null, reason), discriminator, clock))
                        .chain(() -> running(original.catalog))
                        .chain(running -> create(cause, discriminator, original.catalog, plan, target, running,
                                null))
                        .replaceWith(redrive)));
    }

    private static Uni<List<Rollout>> running(String catalog) {
        return Rollout.list("catalog = ?1 and status = ?2 order by createdAt", catalog, RolloutStatus.RUNNING);
    }

    /**
     * Inserts a rollout whose {@code rollout.started.v1} is caused by {@code cause} (told apart by
     * {@code discriminator} when that event causes more than one rollout) and supersedes {@code running}.
     */
    private Uni<String> create(Cause cause, String discriminator, String catalog, RolloutPlan plan,
            RolloutTarget target, List<Rollout> running, Instant builtAt) {
        Instant now = clock.instant();
        String id = discriminator == null ? EventIds.derive(cause.eventId(), RolloutStarted.TYPE.name())
                : EventIds.derive(cause.eventId(), RolloutStarted.TYPE.name(), discriminator);
        Rollout rollout = new Rollout();
        rollout.id = id;
        rollout.catalog = catalog;
        rollout.image = target.image();
        rollout.digest = digestOf(target.image());
        rollout.status = RolloutStatus.RUNNING;
        rollout.target = EventJson.toJson(target);
        rollout.mirroredEventId = cause.eventId();
        rollout.correlationId = cause.correlationId();
        rollout.supersedes = running.isEmpty() ? null : running.get(running.size() - 1).id;
        rollout.createdAt = now;
        rollout.builtAt = builtAt;
        rollout.progressAt = now;
        RolloutStarted data = new RolloutStarted(catalog, id, target.image(),
                plan.waves().stream().map(PlannedWave::toEvent).toList(), rollout.supersedes);
        EventEnvelope<RolloutStarted> started = discriminator == null
                ? EventEnvelope.causedBy(cause, SOURCE, data, clock)
                : EventEnvelope.causedBy(cause, SOURCE, data, discriminator, clock);
        List<Object> rows = new ArrayList<>();
        for (PlannedWave planned : plan.waves()) {
            RolloutWave wave = new RolloutWave();
            wave.rolloutId = id;
            wave.waveIndex = planned.index();
            wave.name = planned.name();
            wave.maxParallel = planned.maxParallel();
            wave.deadlineMillis = planned.verificationDeadline().toMillis();
            wave.soakMillis = planned.soak().toMillis();
            wave.requiresApproval = planned.requiresApproval();
            wave.status = WaveStatus.WAITING;
            wave.causeEventId = id;
            rows.add(wave);
            for (int position = 0; position < planned.clusters().size(); position++) {
                ClusterRollout cluster = new ClusterRollout();
                cluster.rolloutId = id;
                cluster.cluster = planned.clusters().get(position);
                cluster.waveIndex = planned.index();
                cluster.position = position;
                cluster.state = ClusterState.PENDING;
                rows.add(cluster);
            }
        }
        Uni<Void> chain = rollout.persistAndFlush().chain(() -> Rollout.persist(rows))
                .chain(() -> outbox.addOnce(started)).replaceWithVoid();
        for (Rollout old : running) {
            chain = chain.chain(() -> supersede(old, started, now));
        }
        return chain.replaceWith(id);
    }

    private Uni<Void> supersede(Rollout old, EventEnvelope<RolloutStarted> newer, Instant now) {
        String newId = newer.data().rolloutId();
        old.status = RolloutStatus.SUPERSEDED;
        old.supersededBy = newId;
        old.finishedAt = now;
        old.leaseOwner = null;
        old.leaseUntil = null;
        return RolloutWave.update("status = ?1 where rolloutId = ?2 and status in ?3", WaveStatus.CANCELLED, old.id,
                        OPEN_WAVES)
                .chain(() -> ClusterRollout.update("state = ?1, reason = ?2, finishedAt = ?3 where rolloutId = ?4 "
                        + "and state in ?5", ClusterState.CANCELLED, "superseded by rollout " + newId, now, old.id,
                        OPEN_CLUSTERS))
                // The superseded run's outcome: its correlation, caused by the newer rollout's start.
                .chain(() -> outbox.addOnce(EventEnvelope.causedBy(new Cause(newer.id(), old.correlationId), SOURCE,
                        new RolloutSuperseded(old.catalog, old.id, newId), old.id, clock)))
                .replaceWithVoid();
    }

    // ---------------------------------------------------------------- driver

    /** Renews this driver's leases and claims running rollouts whose lease lapsed; returns the ids it holds. */
    public Uni<List<String>> claim(String owner, Duration lease) {
        Instant now = clock.instant();
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(
                        "SELECT id FROM rollout WHERE status = 'RUNNING' AND (lease_owner = :owner "
                                + "OR lease_until IS NULL OR lease_until < :now) "
                                + "ORDER BY created_at LIMIT 100 FOR UPDATE SKIP LOCKED", String.class)
                .setParameter("owner", owner).setParameter("now", now).getResultList())
                .chain(ids -> ids.isEmpty() ? Uni.createFrom().item(ids)
                        : Rollout.update("leaseOwner = ?1, leaseUntil = ?2 where id in ?3", owner, now.plus(lease),
                                ids).replaceWith(ids)));
    }

    public Uni<RolloutSnapshot> snapshot(String rolloutId) {
        return Panache.withSession(() -> Rollout.<Rollout>findById(rolloutId).chain(rollout -> rollout == null
                ? Uni.createFrom().nullItem()
                : RolloutWave.<RolloutWave>list("rolloutId = ?1 order by waveIndex", rolloutId)
                        .chain(waves -> ClusterRollout.<ClusterRollout>list(
                                        "rolloutId = ?1 order by waveIndex, position", rolloutId)
                                .map(clusters -> new RolloutSnapshot(rollout, waves, clusters)))));
    }

    /** Starts a wave and announces it. */
    public Uni<Boolean> startWave(String rolloutId, int waveIndex, String owner) {
        return fenced(rolloutId, owner, rollout -> wave(rolloutId, waveIndex).chain(wave -> {
            if (wave.status != WaveStatus.WAITING && wave.status != WaveStatus.AWAITING_APPROVAL) {
                return Uni.createFrom().item(false);
            }
            wave.status = WaveStatus.RUNNING;
            wave.startedAt = clock.instant();
            return clusterNames(rolloutId, waveIndex).chain(names -> outbox.addOnce(EventEnvelope.causedBy(
                    cause(rollout, wave), SOURCE, new WaveStarted(rollout.catalog, rolloutId, waveIndex, names),
                    String.valueOf(waveIndex), clock))).replaceWith(true);
        }));
    }

    /** Marks a wave whose turn has come as waiting for approval. */
    public Uni<Boolean> awaitApproval(String rolloutId, int waveIndex, String owner) {
        return fenced(rolloutId, owner, rollout -> wave(rolloutId, waveIndex).map(wave -> {
            if (wave.status == WaveStatus.WAITING) {
                wave.status = WaveStatus.AWAITING_APPROVAL;
            }
            return true;
        }));
    }

    /**
     * Marks pending clusters in progress and returns their rows. Their deadline is not set here: each worker opens
     * its observation window when it actually takes the cluster up.
     */
    public Uni<List<ClusterRollout>> startClusters(String rolloutId, int waveIndex, List<String> clusters,
            String owner) {
        return Panache.withTransaction(() -> lease(rolloutId, owner).chain(rollout -> rollout == null
                ? Uni.createFrom().item(List.<ClusterRollout>of())
                : ClusterRollout.<ClusterRollout>list("rolloutId = ?1 and waveIndex = ?2 and cluster in ?3 "
                        + "and state = ?4", rolloutId, waveIndex, clusters, ClusterState.PENDING).map(rows -> {
                            Instant now = clock.instant();
                            for (ClusterRollout row : rows) {
                                row.state = ClusterState.IN_PROGRESS;
                                row.phase = ClusterPhase.PREPARING;
                                row.startedAt = now;
                                row.deadlineAt = null;
                            }
                            rollout.progressAt = now;
                            return rows;
                        })));
    }

    public Uni<Boolean> completeWave(String rolloutId, int waveIndex, String owner) {
        return fenced(rolloutId, owner, rollout -> wave(rolloutId, waveIndex).chain(wave -> {
            wave.status = WaveStatus.COMPLETED;
            wave.completedAt = clock.instant();
            return clusterNames(rolloutId, waveIndex).chain(names -> outbox.addOnce(EventEnvelope.causedBy(
                    cause(rollout, wave), SOURCE, new WaveCompleted(rollout.catalog, rolloutId, waveIndex, names),
                    String.valueOf(waveIndex), clock))).replaceWith(true);
        }));
    }

    /** Stops the rollout at a wave whose clusters failed; later waves are left untouched. */
    public Uni<Boolean> halt(String rolloutId, int waveIndex, List<ClusterFailure> failures, String owner) {
        return fenced(rolloutId, owner, rollout -> wave(rolloutId, waveIndex).chain(wave -> {
            Instant now = clock.instant();
            wave.status = WaveStatus.FAILED;
            wave.completedAt = now;
            finish(rollout, RolloutStatus.HALTED, now);
            return outbox.addOnce(EventEnvelope.causedBy(cause(rollout, wave), SOURCE,
                    new RolloutHalted(rollout.catalog, rolloutId, waveIndex, failures), String.valueOf(waveIndex),
                    clock)).replaceWith(true);
        }));
    }

    public Uni<Boolean> complete(String rolloutId, String owner) {
        return fenced(rolloutId, owner, rollout -> ClusterRollout.count("rolloutId = ?1 and state = ?2", rolloutId,
                ClusterState.UPDATED).chain(updated -> {
                    finish(rollout, RolloutStatus.COMPLETED, clock.instant());
                    return outbox.addOnce(EventEnvelope.causedBy(started(rollout), SOURCE, new RolloutCompleted(
                            rollout.catalog, rolloutId, updated.intValue(), rollout.image, rollout.digest), clock))
                            .replaceWith(true);
                }));
    }

    // ---------------------------------------------------------------- cluster workers (see ClusterWrites)

    /** A cluster's row of a rollout as it is now, or null. */
    public Uni<ClusterRollout> clusterRow(String rolloutId, String cluster) {
        return Panache.withSession(() -> ClusterRollout.<ClusterRollout>find("rolloutId = ?1 and cluster = ?2",
                rolloutId, cluster).firstResult());
    }

    // ---------------------------------------------------------------- operators and readers

    /** Applies and records an operator action; the same request id applies it once. */
    public Uni<ActionResult> act(String rolloutId, RolloutAction action, Integer waveIndex, String actor,
            String requestId) {
        return Panache.withTransaction(() -> Rollout.<Rollout>findById(rolloutId, LockModeType.PESSIMISTIC_WRITE)
                .chain(rollout -> {
                    if (rollout == null) {
                        return Uni.createFrom().item(new ActionResult(ActionResult.Outcome.NOT_FOUND, null,
                                "no rollout " + rolloutId));
                    }
                    String discriminator = action.name() + ":" + requestId;
                    String eventId = EventIds.derive(rolloutId, RolloutActionRecorded.TYPE.name(), discriminator);
                    return OutboxEvent.count("id", eventId).chain(seen -> seen > 0
                            ? Uni.createFrom().item(new ActionResult(ActionResult.Outcome.REPEATED, eventId,
                                    "already recorded"))
                            : apply(rollout, action, waveIndex, eventId).chain(result -> {
                                if (result.outcome() != ActionResult.Outcome.RECORDED) {
                                    return Uni.createFrom().item(result);
                                }
                                Integer wave = action == RolloutAction.APPROVE ? Integer.valueOf(result.message())
                                        : null;
                                return outbox.add(EventEnvelope.causedBy(started(rollout), SOURCE,
                                        new RolloutActionRecorded(rollout.catalog, rolloutId, action, actor, wave),
                                        discriminator, clock)).replaceWith(result);
                            }));
                }));
    }

    private Uni<ActionResult> apply(Rollout rollout, RolloutAction action, Integer waveIndex, String eventId) {
        if (rollout.status != RolloutStatus.RUNNING) {
            return Uni.createFrom().item(ActionResult.conflict("rollout is " + rollout.status));
        }
        ActionResult recorded = new ActionResult(ActionResult.Outcome.RECORDED, eventId, null);
        switch (action) {
            case PAUSE -> {
                if (rollout.paused) {
                    return Uni.createFrom().item(ActionResult.conflict("rollout is already paused"));
                }
                rollout.paused = true;
                return Uni.createFrom().item(recorded);
            }
            case RESUME -> {
                if (!rollout.paused) {
                    return Uni.createFrom().item(ActionResult.conflict("rollout is not paused"));
                }
                rollout.paused = false;
                return Uni.createFrom().item(recorded);
            }
            case APPROVE -> {
                return RolloutWave.<RolloutWave>list("rolloutId = ?1 order by waveIndex", rollout.id).map(waves -> {
                    Optional<RolloutWave> target = waves.stream()
                            .filter(w -> waveIndex == null || w.waveIndex == waveIndex)
                            .filter(w -> w.requiresApproval && !w.approved
                                    && (w.status == WaveStatus.WAITING || w.status == WaveStatus.AWAITING_APPROVAL))
                            .findFirst();
                    if (target.isEmpty()) {
                        return ActionResult.conflict(waveIndex == null ? "no wave waits for an approval"
                                : "wave " + waveIndex + " does not wait for an approval");
                    }
                    target.get().approved = true;
                    // The approval sets the wave off: its events are caused by the approval.
                    target.get().causeEventId = eventId;
                    return new ActionResult(ActionResult.Outcome.RECORDED, eventId,
                            String.valueOf(target.get().waveIndex));
                });
            }
            default -> {
                return Uni.createFrom().item(ActionResult.conflict(action + " is not supported"));
            }
        }
    }

    public Uni<List<FleetCell>> fleet() {
        return Panache.withSession(() -> FleetCell.<FleetCell>list("order by cluster, catalog"));
    }

    public Uni<List<FleetChange>> history(String cluster, String catalog) {
        return Panache.withSession(() -> FleetChange.<FleetChange>list(
                "cluster = ?1 and catalog = ?2 order by at, id", cluster, catalog));
    }

    public Uni<List<Rollout>> rollouts(String catalog) {
        return Panache.withSession(() -> catalog == null
                ? Rollout.<Rollout>find("order by createdAt desc").page(0, 100).list()
                : Rollout.<Rollout>find("catalog = ?1 order by createdAt desc", catalog).page(0, 100).list());
    }

    public Uni<List<ClusterRollout>> clusters(List<String> rolloutIds) {
        return rolloutIds.isEmpty() ? Uni.createFrom().item(List.of())
                : Panache.withSession(() -> ClusterRollout.<ClusterRollout>list("rolloutId in ?1", rolloutIds));
    }

    // ---------------------------------------------------------------- helpers

    /** Runs {@code work} in a transaction if the caller holds the running rollout's lease; false otherwise. */
    private Uni<Boolean> fenced(String rolloutId, String owner, Function<Rollout, Uni<Boolean>> work) {
        return Panache.withTransaction(() -> lease(rolloutId, owner).chain(rollout -> rollout == null
                ? Uni.createFrom().item(false)
                : work.apply(rollout).invoke(done -> {
                    if (done) {
                        rollout.progressAt = clock.instant();
                    }
                })));
    }

    // The row lock orders this transaction after any other change to the rollout.
    static Uni<Rollout> lease(String rolloutId, String owner) {
        return Rollout.<Rollout>findById(rolloutId, LockModeType.PESSIMISTIC_WRITE).map(rollout -> rollout != null
                && rollout.status == RolloutStatus.RUNNING && owner.equals(rollout.leaseOwner) ? rollout : null);
    }

    private static Uni<RolloutWave> wave(String rolloutId, int waveIndex) {
        return RolloutWave.<RolloutWave>find("rolloutId = ?1 and waveIndex = ?2", rolloutId, waveIndex).singleResult();
    }

    private static Uni<List<String>> clusterNames(String rolloutId, int waveIndex) {
        return ClusterRollout.<ClusterRollout>list("rolloutId = ?1 and waveIndex = ?2 order by position", rolloutId,
                waveIndex).map(rows -> rows.stream().map(r -> r.cluster).toList());
    }

    private void finish(Rollout rollout, RolloutStatus status, Instant now) {
        metrics.finished(status.name().toLowerCase(), rollout.createdAt, now);
        rollout.status = status;
        rollout.finishedAt = now;
        rollout.leaseOwner = null;
        rollout.leaseUntil = null;
    }

    private static Cause started(Rollout rollout) {
        return new Cause(rollout.id, rollout.correlationId);
    }

    static Cause cause(Rollout rollout, RolloutWave wave) {
        return new Cause(wave.causeEventId, rollout.correlationId);
    }

    static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    static String digestOf(String image) {
        try {
            var digest = image == null ? null : ImageReference.parse(image).digest();
            return digest == null ? null : digest.value();
        } catch (IllegalArgumentException notAReference) {
            return null;
        }
    }
}
