package dev.catalogautopilot.rollout.run;

import dev.catalogautopilot.outbox.ReactiveWork;
import dev.catalogautopilot.outbox.OutboxRelay;
import dev.catalogautopilot.rollout.cluster.ClusterClients;
import dev.catalogautopilot.rollout.config.RolloutConfig;
import dev.catalogautopilot.rollout.fleet.Fleet;
import dev.catalogautopilot.rollout.run.RolloutStep.ClusterView;
import dev.catalogautopilot.rollout.run.RolloutStep.Decision;
import dev.catalogautopilot.rollout.run.RolloutStep.WaveView;
import dev.catalogautopilot.rollout.state.ClusterRollout;
import dev.catalogautopilot.rollout.state.ClusterState;
import dev.catalogautopilot.rollout.state.ClusterWork;
import dev.catalogautopilot.rollout.state.RolloutSnapshot;
import dev.catalogautopilot.rollout.state.RolloutStatus;
import dev.catalogautopilot.rollout.state.RolloutStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Advances every running rollout whose lease this instance holds, on one driver thread: it claims rollouts from
 * PostgreSQL (expired leases included, so a crashed replica's rollouts resume here), applies {@link RolloutStep}'s
 * decisions, and hands clusters to a bounded worker pool. Clusters found in progress without a local worker
 * (after a restart) are resumed from their checkpoints. Nothing here holds a Kafka record.
 */
@ApplicationScoped
public class RolloutDriver {

    private static final Logger LOG = Logger.getLogger(RolloutDriver.class);
    private static final int MAX_STEPS_PER_PASS = 50;

    private final RolloutStore store;
    private final ClusterClients clients;
    private final Fleet fleet;
    private final RolloutConfig config;
    private final OutboxRelay relay;
    private final Clock clock;
    private final String owner = "rollout-" + UUID.randomUUID();
    private final ExecutorService driver = Executors.newSingleThreadExecutor(daemon("rollout-driver"));
    private final ExecutorService workers;
    private final AtomicBoolean passRequested = new AtomicBoolean();
    private final Set<String> working = ConcurrentHashMap.newKeySet();

    public RolloutDriver(RolloutStore store, ClusterClients clients, Fleet fleet, RolloutConfig config,
            OutboxRelay relay, Clock clock) {
        this.store = store;
        this.clients = clients;
        this.fleet = fleet;
        this.config = config;
        this.relay = relay;
        this.clock = clock;
        this.workers = Executors.newFixedThreadPool(config.clusterThreads(), daemon("rollout-cluster"));
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
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                passRequested.set(false);
            }
        }
    }

    private void pass() {
        List<String> held = ReactiveWork.await(() -> store.claim(owner, config.lease()));
        for (String rolloutId : held) {
            try {
                advance(rolloutId);
            } catch (RuntimeException e) {
                LOG.warnf(e, "rollout %s could not be advanced; retrying on the next tick", rolloutId);
            }
        }
        relay.publishPending();
    }

    private void advance(String rolloutId) {
        for (int step = 0; step < MAX_STEPS_PER_PASS; step++) {
            RolloutSnapshot snapshot = ReactiveWork.await(() -> store.snapshot(rolloutId));
            if (snapshot == null || snapshot.rollout().status != RolloutStatus.RUNNING) {
                return;
            }
            snapshot.clusters().stream().filter(c -> c.state == ClusterState.IN_PROGRESS)
                    .forEach(c -> dispatch(rolloutId, c.cluster));
            Decision decision = RolloutStep.decide(snapshot.rollout().paused, views(snapshot), clock.instant());
            if (!apply(rolloutId, decision)) {
                return;
            }
        }
    }

    /** Carries out a decision; true when the rollout may take another step right away. */
    private boolean apply(String rolloutId, Decision decision) {
        if (decision instanceof RolloutStep.StartWave start) {
            LOG.infof("rollout %s: wave %d starts", rolloutId, start.wave());
            return ReactiveWork.await(() -> store.startWave(rolloutId, start.wave(), owner));
        } else if (decision instanceof RolloutStep.AwaitApproval awaiting) {
            LOG.infof("rollout %s: wave %d awaits approval", rolloutId, awaiting.wave());
            ReactiveWork.await(() -> store.awaitApproval(rolloutId, awaiting.wave(), owner));
        } else if (decision instanceof RolloutStep.StartClusters start) {
            ReactiveWork.await(() -> store.startClusters(rolloutId, start.wave(), start.clusters(), owner))
                    .forEach(cluster -> dispatch(rolloutId, cluster));
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

    private void dispatch(String rolloutId, String cluster) {
        String key = rolloutId + "/" + cluster;
        if (!working.add(key)) {
            return;
        }
        try {
            workers.execute(() -> work(rolloutId, cluster, key));
        } catch (RejectedExecutionException shuttingDown) {
            working.remove(key);
        }
    }

    private void work(String rolloutId, String cluster, String key) {
        boolean finished = false;
        try {
            ClusterWork work = ReactiveWork.await(() -> store.clusterWork(rolloutId, cluster));
            if (work != null && work.cluster().state == ClusterState.IN_PROGRESS) {
                if (fleet.contains(cluster)) {
                    new ClusterUpdater(work, fleet.cluster(cluster), clients, store, owner, clock,
                            config.verification().pollInterval()).run();
                } else {
                    ReactiveWork.await(() -> store.clusterFailed(rolloutId, cluster, owner,
                            "cluster " + cluster + " is no longer in the fleet configuration", Optional.empty(),
                            false));
                }
            }
            finished = true;
        } catch (RuntimeException e) {
            LOG.warnf(e, "rollout %s: cluster %s stopped unexpectedly; the next tick resumes it from its "
                    + "checkpoint", rolloutId, cluster);
        } finally {
            working.remove(key);
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
