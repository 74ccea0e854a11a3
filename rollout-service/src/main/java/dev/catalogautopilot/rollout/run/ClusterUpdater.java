package dev.catalogautopilot.rollout.run;

import dev.catalogautopilot.outbox.ReactiveWork;
import dev.catalogautopilot.events.rollout.MirrorSetOutcome;
import dev.catalogautopilot.rollout.cluster.CatalogSourceStatus;
import dev.catalogautopilot.rollout.cluster.ClusterApi;
import dev.catalogautopilot.rollout.cluster.ClusterClients;
import dev.catalogautopilot.rollout.cluster.Readiness;
import dev.catalogautopilot.rollout.fleet.CatalogSourceSpec;
import dev.catalogautopilot.rollout.fleet.ClusterDefinition;
import dev.catalogautopilot.rollout.mirrorset.MirrorSet;
import dev.catalogautopilot.rollout.mirrorset.MirrorSetChoice;
import dev.catalogautopilot.rollout.mirrorset.MirrorSetKind;
import dev.catalogautopilot.rollout.state.ClusterPhase;
import dev.catalogautopilot.rollout.state.ClusterRollout;
import dev.catalogautopilot.rollout.state.ClusterWork;
import dev.catalogautopilot.rollout.state.RolloutStore;
import dev.catalogautopilot.rollout.state.RolloutTarget;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Takes one cluster of a rollout from its last checkpoint to UPDATED, ROLLED_BACK or FAILED, on a worker thread:
 * mirror set (only if its content differs), {@code spec.image} patch (conditional on the resourceVersion it read),
 * verification until the deadline, and on failure the previous image restored. Each step that changes the cluster
 * is preceded by a checkpoint, so a restarted service neither repeats a patch nor forgets a rollback.
 */
final class ClusterUpdater {

    private static final Logger LOG = Logger.getLogger(ClusterUpdater.class);
    private static final Duration OWNERSHIP_CHECK = Duration.ofSeconds(2);
    private static final int ROLLBACK_ATTEMPTS = 3;

    /** The rollout moved on without this worker (superseded, halted elsewhere, lease lost). */
    private static final class Abandoned extends RuntimeException {
        Abandoned() {
            super(null, null, false, false);
        }
    }

    /** A step kept failing until the deadline. */
    private static final class DeadlineExceeded extends Exception {
        DeadlineExceeded(String message) {
            super(message, null, false, false);
        }
    }

    private final ClusterWork work;
    private final ClusterDefinition cluster;
    private final ClusterClients clients;
    private final RolloutStore store;
    private final String owner;
    private final Clock clock;
    private final Duration pollInterval;
    private final RolloutTarget target;
    private final CatalogSourceSpec spec;
    private final Instant deadline;
    private final ClusterRollout row;

    ClusterUpdater(ClusterWork work, ClusterDefinition cluster, ClusterClients clients, RolloutStore store,
            String owner, Clock clock, Duration pollInterval) {
        this.work = work;
        this.cluster = cluster;
        this.clients = clients;
        this.store = store;
        this.owner = owner;
        this.clock = clock;
        this.pollInterval = pollInterval;
        this.target = work.target();
        this.spec = target.catalogSource();
        this.row = work.cluster();
        this.deadline = row.deadlineAt;
    }

    void run() {
        try {
            switch (row.phase) {
                case PREPARING -> prepare();
                case PATCHING -> patch();
                case VERIFYING -> verify();
                case ROLLING_BACK -> rollBack(row.reason);
            }
        } catch (Abandoned abandoned) {
            LOG.debugf("rollout %s moved on without cluster %s", work.rolloutId(), cluster.name());
        }
    }

    private void prepare() {
        MirrorSetOutcome mirrorSet;
        Optional<GenericKubernetesResource> current;
        try {
            mirrorSet = untilDeadline("apply the mirror set", this::applyMirrorSet);
            current = untilDeadline("read the CatalogSource", () -> api().catalogSource(spec));
        } catch (DeadlineExceeded e) {
            fail(e.getMessage(), false);
            return;
        }
        String image = current.map(cs -> CatalogSourceStatus.of(cs).image()).orElse(null);
        if (target.image().equals(image)) {
            checkpoint(r -> {
                r.mirrorSet = mirrorSet;
                r.previousImage = image;
                r.patched = false;
                r.phase = ClusterPhase.VERIFYING;
            });
            verify();
            return;
        }
        Instant sending = clock.instant();
        checkpoint(r -> {
            r.mirrorSet = mirrorSet;
            r.previousImage = image;
            r.createdCatalogSource = current.isEmpty();
            r.patched = true;
            r.patchSentAt = sending;
            r.phase = ClusterPhase.PATCHING;
        });
        patch();
    }

    private void patch() {
        String resourceVersion;
        try {
            resourceVersion = untilDeadline("point the CatalogSource at the new image", () -> {
                Optional<GenericKubernetesResource> current = api().catalogSource(spec);
                if (current.isEmpty()) {
                    return api().createCatalogSource(spec, target.image());
                }
                CatalogSourceStatus status = CatalogSourceStatus.of(current.get());
                if (target.image().equals(status.image())) {
                    // An earlier attempt landed (its answer was lost): patching again would change nothing.
                    return null;
                }
                return api().patchImage(spec, status.resourceVersion(), target.image());
            });
        } catch (DeadlineExceeded e) {
            fail(e.getMessage(), true);
            return;
        }
        checkpoint(r -> {
            r.patchedResourceVersion = resourceVersion;
            r.phase = ClusterPhase.VERIFYING;
        });
        verify();
    }

    private void verify() {
        Readiness.Patch patch = new Readiness.Patch(row.patched, row.patchSentAt, row.patchedResourceVersion);
        String observed = "nothing observed";
        Instant nextOwnershipCheck = clock.instant().plus(OWNERSHIP_CHECK);
        while (true) {
            try {
                Readiness.Verdict verdict = Readiness.evaluate(api().catalogSource(spec).map(CatalogSourceStatus::of),
                        target.image(), patch);
                if (verdict.verified()) {
                    if (!ReactiveWork.await(() -> store.clusterUpdated(work.rolloutId(), cluster.name(), owner, clock.instant()))) {
                        throw new Abandoned();
                    }
                    return;
                }
                observed = verdict.observed();
            } catch (RuntimeException e) {
                if (e instanceof Abandoned) {
                    throw e;
                }
                observed = "unreachable: " + describe(e);
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                fail("CatalogSource " + spec.namespace() + "/" + spec.name() + " not READY by the deadline ("
                        + Duration.between(row.startedAt, deadline) + "); last observed: " + observed, row.patched);
                return;
            }
            if (now.isAfter(nextOwnershipCheck)) {
                if (!ReactiveWork.await(() -> store.holds(work.rolloutId(), owner))) {
                    throw new Abandoned();
                }
                nextOwnershipCheck = now.plus(OWNERSHIP_CHECK);
            }
            sleep(min(pollInterval, Duration.between(now, deadline)));
        }
    }

    private void fail(String reason, boolean mayHaveChanged) {
        LOG.warnf("rollout %s: cluster %s failed: %s", work.rolloutId(), cluster.name(), reason);
        if (!mayHaveChanged) {
            finishFailed(reason, Optional.empty(), false);
            return;
        }
        checkpoint(r -> {
            r.phase = ClusterPhase.ROLLING_BACK;
            r.reason = reason;
        });
        rollBack(reason);
    }

    /** Restores the previous image, if the CatalogSource still points at ours; never touches anybody else's. */
    private void rollBack(String reason) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < ROLLBACK_ATTEMPTS; attempt++) {
            try {
                Optional<GenericKubernetesResource> current = api().catalogSource(spec);
                String image = current.map(cs -> CatalogSourceStatus.of(cs).image()).orElse(null);
                if (row.previousImage != null && row.previousImage.equals(image)) {
                    finishFailed(reason, Optional.of(image), false);
                } else if (current.isEmpty() || !target.image().equals(image)) {
                    finishFailed(reason + "; the CatalogSource " + (current.isEmpty() ? "is gone"
                            : "points at " + image + " now") + ", left alone", Optional.empty(), false);
                } else if (row.previousImage == null) {
                    api().deleteCatalogSource(spec);
                    finishFailed(reason + "; deleted the CatalogSource this rollout had created", Optional.empty(),
                            false);
                } else {
                    api().patchImage(spec, CatalogSourceStatus.of(current.get()).resourceVersion(), row.previousImage);
                    finishFailed(reason, Optional.of(row.previousImage), false);
                }
                return;
            } catch (Abandoned abandoned) {
                throw abandoned;
            } catch (RuntimeException e) {
                last = e;
                sleep(pollInterval);
            }
        }
        finishFailed(reason + "; rollback failed: " + describe(last), Optional.empty(), true);
    }

    private void finishFailed(String reason, Optional<String> restored, boolean rollbackFailed) {
        if (!ReactiveWork.await(() -> store.clusterFailed(work.rolloutId(), cluster.name(), owner, reason, restored,
                rollbackFailed))) {
            throw new Abandoned();
        }
    }

    private MirrorSetOutcome applyMirrorSet() {
        Optional<MirrorSet> desired = desiredMirrorSet();
        if (desired.isEmpty()) {
            return MirrorSetOutcome.UNCHANGED;
        }
        MirrorSetChoice choice = cluster.mirrorSets().orElse(spec.mirrorSets());
        MirrorSetKind kind = switch (choice) {
            case ICSP -> MirrorSetKind.ICSP;
            case IDMS -> MirrorSetKind.IDMS;
            case DETECT -> api().servedMirrorSetKind();
        };
        return api().apply(desired.get().as(kind));
    }

    private Optional<MirrorSet> desiredMirrorSet() {
        String document = target.imageDigestMirrorSet() != null ? target.imageDigestMirrorSet()
                : target.imageContentSourcePolicy();
        return document == null || document.isBlank() ? Optional.empty() : Optional.of(MirrorSet.parse(document));
    }

    private ClusterApi api() {
        return clients.cluster(cluster.name());
    }

    private <T> T untilDeadline(String step, Supplier<T> action) throws DeadlineExceeded {
        while (true) {
            try {
                return action.get();
            } catch (RuntimeException e) {
                Instant now = clock.instant();
                if (!now.plus(pollInterval).isBefore(deadline)) {
                    throw new DeadlineExceeded("could not " + step + " by the deadline: " + describe(e));
                }
                LOG.debugf("cluster %s: %s failed, retrying: %s", cluster.name(), step, describe(e));
                sleep(pollInterval);
            }
        }
    }

    private void checkpoint(Consumer<ClusterRollout> change) {
        change.accept(row);
        if (!ReactiveWork.await(() -> store.checkpoint(work.rolloutId(), cluster.name(), owner, change))) {
            throw new Abandoned();
        }
    }

    private static String describe(Throwable e) {
        String message = e == null ? null : e.getMessage();
        String text = message == null || message.isBlank() ? String.valueOf(e) : message.strip();
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(Math.max(1, duration.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Abandoned();
        }
    }


}
