package dev.catalogautopilot.rollout.run;

import dev.catalogautopilot.events.rollout.MirrorSetOutcome;
import dev.catalogautopilot.rollout.cluster.CatalogSourceStatus;
import dev.catalogautopilot.rollout.cluster.ClusterApi;
import dev.catalogautopilot.rollout.cluster.ClusterClients;
import dev.catalogautopilot.rollout.cluster.Readiness;
import dev.catalogautopilot.rollout.fleet.CatalogSourceSpec;
import dev.catalogautopilot.rollout.fleet.ClusterDefinition;
import dev.catalogautopilot.rollout.mirrorset.MirrorSetChoice;
import dev.catalogautopilot.rollout.mirrorset.MirrorSetKind;
import dev.catalogautopilot.rollout.state.ClusterPhase;
import dev.catalogautopilot.rollout.state.ClusterRollout;
import dev.catalogautopilot.rollout.state.ClusterWrite;
import dev.catalogautopilot.rollout.state.ClusterWrites;
import dev.catalogautopilot.rollout.state.RolloutTarget;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Takes one cluster of a rollout from its last checkpoint to UPDATED, ROLLED_BACK or FAILED, on a worker thread:
 * mirror set (only if its content differs), {@code spec.image} patch (conditional on the resourceVersion it read),
 * verification until the deadline, and on failure the previous image restored. Each step that changes the cluster
 * is preceded by a checkpoint, so a restarted service neither repeats a patch nor forgets a rollback. The deadline
 * is this worker's own: it opens a fresh observation window when it takes the cluster up.
 */
final class ClusterUpdater {

    private static final Logger LOG = Logger.getLogger(ClusterUpdater.class);
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

    /**
     * Workers that may take one cluster up (the first, then one per restart or takeover) before it is failed: a
     * cluster that keeps killing its worker must not be retried forever.
     */
    static final int MAX_ATTEMPTS = 5;

    private final RolloutRun run;
    private final ClusterRollout row;
    private final ClusterDefinition cluster;
    private final ClusterClients clients;
    private final ClusterWrites writes;
    private final String owner;
    private final Clock clock;
    private final Duration pollInterval;
    private final BooleanSupplier holdsLease;
    private final Consumer<Instant> windowOpened;
    private final RolloutTarget target;
    private final CatalogSourceSpec spec;
    private final Duration window;
    /** The cluster's attempt as stored: the condition of this worker's next write. */
    private int storedAttempt;
    private Instant deadline;

    ClusterUpdater(RolloutRun run, ClusterRollout row, ClusterDefinition cluster, ClusterClients clients,
            ClusterWrites writes, String owner, Clock clock, Duration pollInterval, BooleanSupplier holdsLease,
            Consumer<Instant> windowOpened) {
        this.run = run;
        this.row = row;
        this.cluster = cluster;
        this.clients = clients;
        this.writes = writes;
        this.owner = owner;
        this.clock = clock;
        this.pollInterval = pollInterval;
        this.holdsLease = holdsLease;
        this.windowOpened = windowOpened;
        this.target = run.target();
        this.spec = target.catalogSource();
        this.window = run.window(row.waveIndex);
        this.storedAttempt = row.attempt;
    }

    void run() {
        try {
            if (row.attempt >= MAX_ATTEMPTS) {
                fail("taken up " + row.attempt + " times without a verdict (service restarts or stuck workers)",
                        row.patched);
                return;
            }
            openWindow();
            switch (row.phase) {
                case PREPARING -> prepare();
                case PATCHING -> patch();
                case VERIFYING -> verify();
                case ROLLING_BACK -> rollBack(row.reason);
            }
        } catch (Abandoned abandoned) {
            LOG.debugf("rollout %s moved on without cluster %s", run.rolloutId(), cluster.name());
        }
    }

    /**
     * Starts this worker's observation window now, whatever happened before: time spent queued, or while the
     * service was down, never counts against the cluster. A fresh cluster stores it with its first checkpoint; a
     * resumed one at once, so that restarts are counted.
     */
    private void openWindow() {
        deadline = clock.instant().plus(window);
        row.attempt = storedAttempt + 1;
        row.deadlineAt = deadline;
        windowOpened.accept(deadline);
        if (row.phase != ClusterPhase.PREPARING) {
            checkpoint(r -> {
            });
        }
    }

    /**
     * Verification gets a whole window of its own, from the moment it begins: however long the mirror set and the
     * patch took (a first connection, retries), the catalog pod is judged only after that much observation.
     */
    private void startVerifying() {
        deadline = clock.instant().plus(window);
        row.deadlineAt = deadline;
        windowOpened.accept(deadline);
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
            startVerifying();
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
        startVerifying();
        checkpoint(r -> {
            r.patchedResourceVersion = resourceVersion;
            r.phase = ClusterPhase.VERIFYING;
        });
        verify();
    }

    private void verify() {
        Readiness.Patch patch = new Readiness.Patch(row.patched, row.patchSentAt, row.patchedResourceVersion);
        String observed = "nothing observed";
        while (true) {
            try {
                Readiness.Verdict verdict = Readiness.evaluate(api().catalogSource(spec).map(CatalogSourceStatus::of),
                        target.image(), patch);
                if (verdict.verified()) {
                    if (!writes.write(run.rolloutId(), owner,
                            new ClusterWrite.Updated(cluster.name(), storedAttempt, clock.instant()))) {
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
                        + window + "); last observed: " + observed, row.patched);
                return;
            }
            if (!holdsLease.getAsBoolean()) {
                throw new Abandoned();
            }
            sleep(min(pollInterval, Duration.between(now, deadline)));
        }
    }

    private void fail(String reason, boolean mayHaveChanged) {
        LOG.warnf("rollout %s: cluster %s failed: %s", run.rolloutId(), cluster.name(), reason);
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

    /**
     * Restores the previous image, if the CatalogSource still points at ours; never touches anybody else's. Only a
     * CatalogSource this rollout created is deleted: one that was there without an image (address-based) gets its
     * {@code spec.image} removed again, leaving it as it was.
     */
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
                } else if (row.previousImage == null && row.createdCatalogSource) {
                    api().deleteCatalogSource(spec);
                    finishFailed(reason + "; deleted the CatalogSource this rollout had created", Optional.empty(),
                            false);
                } else if (row.previousImage == null) {
                    api().removeImage(spec, CatalogSourceStatus.of(current.get()).resourceVersion());
                    finishFailed(reason + "; removed the image this rollout had set on the CatalogSource, which it"
                            + " did not create", Optional.empty(), false);
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
        if (!writes.write(run.rolloutId(), owner, new ClusterWrite.Failed(cluster.name(), storedAttempt, reason,
                restored, rollbackFailed))) {
            throw new Abandoned();
        }
    }

    private MirrorSetOutcome applyMirrorSet() {
        if (run.mirrorSet().isEmpty()) {
            return MirrorSetOutcome.UNCHANGED;
        }
        MirrorSetChoice choice = cluster.mirrorSets().orElse(spec.mirrorSets());
        MirrorSetKind kind = switch (choice) {
            case ICSP -> MirrorSetKind.ICSP;
            case IDMS -> MirrorSetKind.IDMS;
            case DETECT -> clients.servedMirrorSetKind(cluster.name());
        };
        return api().apply(run.mirrorSet().get().as(kind));
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

    /** Applies {@code change} here and in the database, with this worker's window and attempt. */
    private void checkpoint(Consumer<ClusterRollout> change) {
        change.accept(row);
        int attempt = row.attempt;
        Instant windowEnd = row.deadlineAt;
        Consumer<ClusterRollout> stored = r -> {
            change.accept(r);
            r.attempt = attempt;
            r.deadlineAt = windowEnd;
        };
        if (!writes.write(run.rolloutId(), owner, new ClusterWrite.Checkpoint(cluster.name(), storedAttempt, stored))) {
            throw new Abandoned();
        }
        storedAttempt = attempt;
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
