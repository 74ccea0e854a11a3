package dev.catalogautopilot.mirror.job;

import dev.catalogautopilot.mirror.config.MirrorConfig;
import dev.catalogautopilot.mirror.copy.BlobLedger;
import dev.catalogautopilot.registry.RegistryFailures;
import dev.catalogautopilot.mirror.copy.CopyResult;
import dev.catalogautopilot.mirror.copy.ImageCopier;
import dev.catalogautopilot.mirror.metrics.MirrorMetrics;
import dev.catalogautopilot.mirror.plan.TargetNaming;
import dev.catalogautopilot.outbox.progress.ProgressWatchdog;
import dev.catalogautopilot.outbox.progress.ProgressWatchdogs;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.RegistryClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Runs leased jobs on this instance's own threads, a bounded number at a time, renewing their leases while they
 * copy; nothing here runs on a Kafka or event-loop thread. Transient failures go back to the queue with backoff
 * until the attempts run out; permanent ones (digest mismatch, missing image, refused credentials) fail at once.
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final JobStore store;
    private final MirrorConfig.Worker config;
    private final String worker;
    private final Map<String, LeasedJob> running = new ConcurrentHashMap<>();
    private final ReentrantLock dispatching = new ReentrantLock();
    private final ExecutorService jobs;
    private final ExecutorService blobs;
    private final ImageCopier copier;
    private final OutcomeRecorder outcomes;
    private final MirrorMetrics metrics;
    private final ProgressWatchdog watchdog;
    private final TargetNaming destination;

    public JobRunner(JobStore store, MirrorConfig config, Pool pool, RegistryClient registry, MirrorMetrics metrics,
            ProgressWatchdogs watchdogs) {
        this.metrics = metrics;
        this.destination = TargetNaming.of(config.destination(), config.maxComponents());
        this.watchdog = watchdogs.watch("mirror-worker", config.stuckAfter());
        this.store = store;
        this.config = config.worker();
        this.worker = this.config.id();
        this.jobs = Executors.newFixedThreadPool(this.config.jobs(), threads("mirror-job"));
        this.blobs = Executors.newFixedThreadPool(this.config.jobs() * this.config.blobsPerJob(), threads("mirror-blob"));
        this.copier = new ImageCopier(registry,
                new BlobLedger(new PersistentBlobLocations(pool, worker)), blobs, this.config.blobsPerJob(),
                (how, bytes) -> {
                    metrics.blob(how, bytes);
                    watchdog.progressed();
                });
        this.outcomes = new OutcomeRecorder(store, worker, this.config.resultsBatch(), recorded -> {
            recorded.forEach(outcome -> running.remove(outcome.key()));
            watchdog.progressed();
            wakeUp();
        });
    }

    void onStart(@Observes StartupEvent startup) {
        outcomes.start();
        int released = store.releaseAll(worker);
        if (released > 0) {
            LOG.infof("worker %s took back %d jobs it held before it stopped", worker, released);
        }
    }

    void onStop(@Observes ShutdownEvent shutdown) {
        outcomes.stop();
        jobs.shutdownNow();
        blobs.shutdownNow();
        try {
            jobs.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Looks for work now rather than at the next poll. */
    public void wakeUp() {
        if (running.size() < config.jobs()) {
            dispatch();
        }
    }

    @Scheduled(every = "${mirror.worker.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (running.isEmpty()) {
            watchdog.idle(); // nothing in flight: a poll that runs is all the progress there is to make
        }
        try {
            dispatch();
        } catch (RuntimeException e) {
            LOG.warnf("leasing mirror jobs failed, will retry: %s", e.getMessage());
        }
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void renewLeases() {
        try {
            store.renew(worker, List.copyOf(running.values()), config.lease());
        } catch (RuntimeException e) {
            LOG.warnf("renewing leases failed, will retry: %s", e.getMessage());
        }
    }

    private void dispatch() {
        if (!dispatching.tryLock()) {
            return;
        }
        try {
            int free = config.jobs() - running.size();
            for (LeasedJob job : store.lease(worker, free, config.lease(), config.maxAttempts())) {
                running.put(job.planId() + " " + job.source(), job);
                watchdog.working(running.size() + " image copies, the latest " + job.source());
                jobs.submit(() -> run(job));
            }
        } finally {
            dispatching.unlock();
        }
    }

    private void run(LeasedJob job) {
        String key = job.planId() + " " + job.source();
        Instant started = Instant.now();
        try {
            if (!destination.covers(ImageReference.parse(job.target()))) {
                String error = "target " + job.target() + " is outside the mirror destination (mirror.destination)";
                LOG.warnf("mirroring %s refused: %s", job.source(), error);
                metrics.image("failed", Duration.between(started, Instant.now()));
                outcomes.record(JobOutcome.failed(job, error));
                return;
            }
            CopyResult result = copier.copy(ImageReference.parse(job.source()), ImageReference.parse(job.target()));
            LOG.debugf("mirrored %s to %s (%s)", job.source(), job.target(), result.stats());
            metrics.image("copied", Duration.between(started, Instant.now()));
            outcomes.record(JobOutcome.copied(job, result));
            return; // the slot is freed once the outcome is recorded
        } catch (RuntimeException | StackOverflowError e) {
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e instanceof StackOverflowError || RegistryFailures.isPermanent(e)
                    || job.attempt() >= config.maxAttempts()) {
                LOG.warnf("mirroring %s failed for good after %d attempt(s): %s", job.source(), job.attempt(), error);
                metrics.image("failed", Duration.between(started, Instant.now()));
                outcomes.record(JobOutcome.failed(job, error));
                return;
            }
            metrics.image("retried", Duration.between(started, Instant.now()));
            Duration delay = config.retryBackoff().multipliedBy(1L << Math.min(job.attempt() - 1, 10));
            LOG.infof("mirroring %s failed (attempt %d), retrying in %s: %s", job.source(), job.attempt(),
                    delay, error);
            try {
                store.retryLater(job, error, delay, worker);
            } catch (RuntimeException storeFailure) {
                // The lease runs out and another attempt takes the job: nothing is lost.
                LOG.warnf("could not queue %s for a retry: %s", job.source(), storeFailure.getMessage());
            }
        }
        running.remove(key);
        watchdog.progressed();
        wakeUp();
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
