package dev.catalogautopilot.rollout.run;

import dev.catalogautopilot.outbox.OutboxRelay;
import dev.catalogautopilot.outbox.ReactiveWork;
import dev.catalogautopilot.rollout.cluster.ClusterClients;
import dev.catalogautopilot.rollout.config.RolloutConfig;
import dev.catalogautopilot.rollout.fleet.Fleet;
import dev.catalogautopilot.rollout.metrics.RolloutMetrics;
import dev.catalogautopilot.rollout.run.RolloutStep.ClusterView;
import dev.catalogautopilot.rollout.run.RolloutStep.Decision;
import dev.catalogautopilot.rollout.run.RolloutStep.WaveView;
import dev.catalogautopilot.rollout.state.ClusterRollout;
import dev.catalogautopilot.rollout.state.ClusterState;
import dev.catalogautopilot.rollout.state.ClusterWrite;
import dev.catalogautopilot.rollout.state.ClusterWrites;
import dev.catalogautopilot.rollout.state.RolloutSnapshot;
import dev.catalogautopilot.rollout.state.RolloutStatus;
import dev.catalogautopilot.rollout.state.RolloutStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Advances every running rollout whose lease this instance holds, on one driver thread: it claims rollouts from
 * PostgreSQL (expired leases included, so a crashed replica's rollouts resume here), applies {@link RolloutStep}'s
 * decisions, and hands clusters to a bounded worker pool. Clusters found in progress without a local worker
 * (after a restart) are resumed from their checkpoints, each with a fresh observation window. Each pass also
 * reconciles: a worker still without a verdict {@code rollout.stuck-after} past its deadline is taken over. Nothing
 * here holds a Kafka record.
 */
@ApplicationScoped
public class RolloutDriver {

    private static final Logger LOG = Logger.getLogger(RolloutDriver.class);
    private static final int MAX_STEPS_PER_PASS = 50;

    /** One cluster handed to the pool; {@code deadline} is set once the worker opened its window. */
    private static final class Worker {
        final String rolloutId;
        final String cluster;
        final Instant dispatchedAt;
        final Duration window;
        volatile Instant deadline;
        volatile Future<?> future;

        Worker(String rolloutId, String cluster, Instant dispatchedAt, Duration window) {
            this.rolloutId = rolloutId;
            this.cluster = cluster;
            this.dispatchedAt = dispatchedAt;
            this.window = window;
        }

        Overdue.Due due() {
            return new Overdue.Due(dispatchedAt, window, deadline);
        }
    }

    private final RolloutStore store;
    private final ClusterWrites writes;
    private final ClusterClients clients;
    private final Fleet fleet;
    private final RolloutConfig config;
    private final OutboxRelay relay;
    private final Clock clock;
    private final String owner = "rollout-" + UUID.randomUUID();
    private final ExecutorService driver = Executors.newSingleThreadExecutor(daemon("rollout-driver"));
    // Publishing waits for Kafka's acknowledgement of each event; the driver must not wait for it to start clusters.
    private final ExecutorService publisher = Executors.newSingleThreadExecutor(daemon("rollout-outbox"));
    private final AtomicBoolean publishRequested = new AtomicBoolean();
    private final ExecutorService workers;
    private final AtomicBoolean passRequested = new AtomicBoolean();
    private final Map<String, Worker> working = new ConcurrentHashMap<>();
    /** Until when this instance holds each rollout's lease, as of its last claim. */
    private final Map<String, Instant> heldUntil = new ConcurrentHashMap<>();
    private final Map<String, RolloutRun> runs = new ConcurrentHashMap<>();
    private volatile Instant lastPass;
    private final RolloutMetrics metrics;

    public RolloutDriver(RolloutStore store, ClusterWrites writes, ClusterClients clients, Fleet fleet,
            RolloutConfig config, OutboxRelay relay, Clock clock, RolloutMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.writes = writes;
        this.clients = clients;
        this.fleet = fleet;
        this.config = config;
        this.relay = relay;
        this.clock = clock;
        this.workers = Executors.newFixedThreadPool(config.clusterThreads(), daemon("rollout-cluster"));
        this.lastPass = clock.instant();
    }

    @Scheduled(every = "${rollout.tick:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        requestPass();
    }

    /** Asks for a pass soon; requests made while one is queued are folded into it. */
    public void requestPass() {
        if (passRequested.compareAndSet(false, true)) {
            try {
                driver.execute(() -> {
                    passRequested.set(false);
                    try {
                        pass();
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "rollout driver pass failed; the next tick retries");
                    } finally {
                        lastPass = clock.instant();
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                passRequested.set(false);
            }
        }
    }

    /**
     * Why the runner is stuck, if it is: no driver pass for {@code rollout.stuck-after}, or workers overdue that
     * the reconciler could not take over.
     */
    public Optional<String> stuck() {
        Instant now = clock.instant();
        Duration bound = config.stuckAfter();
        if (lastPass.plus(bound).isBefore(now)) {
            return Optional.of("no rollout driver pass since " + lastPass);
        }
        // Twice the bound: the reconciler takes workers over at the bound, on its next pass.
        List<String> overdue = Overdue.find(dues(), now, bound.multipliedBy(2));
        return overdue.isEmpty() ? Optional.empty()
                : Optional.of(overdue.size() + " cluster workers without progress, e.g. " + overdue.get(0));
    }

    private Map<String, Overdue.Due> dues() {
        return working.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().due()));
    }

    private void pass() {
        Instant claimedAt = clock.instant();
        List<String> held = ReactiveWork.await(() -> store.claim(owner, config.lease()));
        Instant until = claimedAt.plus(config.lease());
        heldUntil.keySet().retainAll(held);
        runs.keySet().retainAll(held);
        held.forEach(id -> heldUntil.put(id, until));
        for (String rolloutId : held) {
            try {
                advance(rolloutId);
            } catch (RuntimeException e) {
                LOG.warnf(e, "rollout %s could not be advanced; retrying on the next tick", rolloutId);
            }
        }
        requestPublishing();
    }

    /** Publishes the outbox soon, off the driver thread; requests made while one is queued are folded into it. */
    private void requestPublishing() {
        if (publishRequested.compareAndSet(false, true)) {
            try {
                publisher.execute(() -> {
                    publishRequested.set(false);
                    try {
                        relay.publishPending();
                    } catch (RuntimeException e) {
                        LOG.debugf("publishing the outbox failed; its own schedule retries: %s", e);
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                publishRequested.set(false);
            }
        }
    }

    /** Whether this instance still holds the rollout's lease: workers check it locally between status reads. */
    private boolean holds(String rolloutId) {
        Instant until = heldUntil.get(rolloutId);
        return until != null && clock.instant().isBefore(until);
    }

    private void advance(String rolloutId) {
        for (int step = 0; step < MAX_STEPS_PER_PASS; step++) {
            RolloutSnapshot snapshot = ReactiveWork.await(() -> store.snapshot(rolloutId));
            if (snapshot == null || snapshot.rollout().status != RolloutStatus.RUNNING) {
                runs.remove(rolloutId);
                return;
            }
            RolloutRun run = runs.computeIfAbsent(rolloutId, id -> RolloutRun.of(snapshot));
            if (step == 0) {
                reconcile(run);
            }
            snapshot.clusters().stream().filter(c -> c.state == ClusterState.IN_PROGRESS)
                    .forEach(c -> dispatch(run, c, false));
            Decision decision = RolloutStep.decide(snapshot.rollout().paused, views(snapshot), clock.instant());
            if (!apply(run, decision)) {
                return;
            }
        }
    }

    /**
     * Takes over the rollout's clusters whose workers are overdue: the cluster is rolled back by a new worker (or
     * failed at once if nothing was changed on it), with the reason in its events; the old worker's writes no
     * longer apply.
     */
    private void reconcile(RolloutRun run) {
        Map<String, Overdue.Due> dues = working.entrySet().stream()
                .filter(e -> e.getValue().rolloutId.equals(run.rolloutId()))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().due()));
        for (String key : Overdue.find(dues, clock.instant(), config.stuckAfter())) {
            Worker stuck = working.get(key);
            if (stuck == null) {
                continue;
            }
            String reason = "no verdict " + config.stuckAfter() + " past its deadline: its worker was stuck and "
                    + "was taken over";
            LOG.warnf("rollout %s: cluster %s: %s", run.rolloutId(), stuck.cluster, reason);
            writes.write(run.rolloutId(), owner, new ClusterWrite.TakeOver(stuck.cluster, reason));
            metrics.takenOver();
            working.remove(key, stuck);
            Future<?> future = stuck.future;
            if (future != null) {
                future.cancel(true);
            }
        }
    }

    /** Carries out a decision; true when the rollout may take another step right away. */
    private boolean apply(RolloutRun run, Decision decision) {
        String rolloutId = run.rolloutId();
        if (decision instanceof RolloutStep.StartWave start) {
            LOG.infof("rollout %s: wave %d starts", rolloutId, start.wave());
            return ReactiveWork.await(() -> store.startWave(rolloutId, start.wave(), owner));
        } else if (decision instanceof RolloutStep.AwaitApproval awaiting) {
            LOG.infof("rollout %s: wave %d awaits approval", rolloutId, awaiting.wave());
            ReactiveWork.await(() -> store.awaitApproval(rolloutId, awaiting.wave(), owner));
        } else if (decision instanceof RolloutStep.StartClusters start) {
            ReactiveWork.await(() -> store.startClusters(rolloutId, start.wave(), start.clusters(), owner))
                    .forEach(row -> dispatch(run, row, true));
        } else if (decision instanceof RolloutStep.CompleteWave complete) {
            LOG.infof("rollout %s: wave %d completed", rolloutId, complete.wave());
            return ReactiveWork.await(() -> store.completeWave(rolloutId, complete.wave(), owner));
        } else if (decision instanceof RolloutStep.Halt halt) {
            LOG.warnf("rollout %s halted in wave %d: %s", rolloutId, halt.wave(), halt.failures());
            ReactiveWork.await(() -> store.halt(rolloutId, halt.wave(), halt.failures(), owner));
        } else if (decision instanceof RolloutStep.Complete) {
            LOG.infof("rollout %s completed", rolloutId);
            ReactiveWork.await(() -> store.complete(rolloutId, owner));
        }
        return false;
    }

    /**
     * Hands a cluster to the pool unless a worker has it. {@code fresh} rows were just started by this driver and
     * are used as they are; others (found in progress) are read again by the worker, as their state may have moved.
     */
    private void dispatch(RolloutRun run, ClusterRollout row, boolean fresh) {
        String key = run.rolloutId() + "/" + row.cluster;
        Worker worker = new Worker(run.rolloutId(), row.cluster, clock.instant(), run.window(row.waveIndex));
        if (working.putIfAbsent(key, worker) != null) {
            return;
        }
        try {
            worker.future = workers.submit(() -> work(run, row, fresh, key, worker));
        } catch (RejectedExecutionException shuttingDown) {
            working.remove(key, worker);
        }
    }

    private void work(RolloutRun run, ClusterRollout given, boolean fresh, String key, Worker worker) {
        boolean finished = false;
        String rolloutId = run.rolloutId();
        String cluster = given.cluster;
        try {
            ClusterRollout row = fresh ? given : ReactiveWork.await(() -> store.clusterRow(rolloutId, cluster));
            if (row != null && row.state == ClusterState.IN_PROGRESS) {
                if (fleet.contains(cluster)) {
                    new ClusterUpdater(run, row, fleet.cluster(cluster), clients, writes, owner, clock,
                            config.verification().pollInterval(), () -> holds(rolloutId),
                            deadline -> worker.deadline = deadline).run();
                } else {
                    writes.write(rolloutId, owner, new ClusterWrite.Failed(cluster, row.attempt,
                            "cluster " + cluster + " is no longer in the fleet configuration", Optional.empty(),
                            false));
                }
            }
            finished = true;
        } catch (RuntimeException e) {
            LOG.warnf(e, "rollout %s: cluster %s stopped unexpectedly; the next tick resumes it from its "
                    + "checkpoint", rolloutId, cluster);
        } finally {
            working.remove(key, worker);
            if (finished) {
                // The wave may start its next cluster now rather than at the next tick.
                requestPass();
            }
        }
    }

    private static List<WaveView> views(RolloutSnapshot snapshot) {
        return snapshot.waves().stream().map(wave -> new WaveView(wave.waveIndex, wave.status, wave.requiresApproval,
                wave.approved, wave.maxParallel, wave.soak(), wave.completedAt,
                snapshot.clustersOf(wave.waveIndex).stream().map(RolloutDriver::view).toList())).toList();
    }

    private static ClusterView view(ClusterRollout cluster) {
        return new ClusterView(cluster.cluster, cluster.state, cluster.reason);
    }

    void shutdown(@Observes ShutdownEvent event) {
        driver.shutdownNow();
        publisher.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
