package dev.catalogautopilot.builder.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.builder.config.BuilderConfig;
import dev.catalogautopilot.builder.diff.CatalogSummary;
import dev.catalogautopilot.events.Cause;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventJson;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.catalog.CatalogBuildFailed;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.outbox.OutboxRelay;
import dev.catalogautopilot.outbox.progress.ProgressWatchdog;
import dev.catalogautopilot.outbox.progress.ProgressWatchdogs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Runs build jobs off the Kafka thread: leases the next job from PostgreSQL, builds it on a build thread it
 * supervises, and commits its outcome with its event. The build event's id derives from the change event's, so a
 * job run twice (after a crash, or a lease taken over) yields the same event, which the outbox keeps once.
 *
 * <p>While a build runs, its lease is renewed only when the build made progress since the last renewal; a build
 * without progress for a whole lease is abandoned (the reconciler re-drives it), one past its deadline fails. An
 * {@link OutOfMemoryError} or {@link StackOverflowError} on the build thread fails that job, not the runner. When
 * the database is down at the end of a build, recording the outcome is retried until it is back.
 */
@ApplicationScoped
public class BuildRunner {

    private static final Logger LOG = Logger.getLogger(BuildRunner.class);
    private static final Duration MAX_PERSIST_BACKOFF = Duration.ofSeconds(10);

    private final BuilderConfig config;
    private final BuildStore store;
    private final BuildPipeline pipeline;
    private final OutboxRelay relay;
    private final BuildMetrics metrics;
    private final ProgressWatchdog watchdog;
    private final ObjectMapper json = EventJson.newMapper();
    private final String instance = "builder-" + UUID.randomUUID();
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService builds = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "build-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    public BuildRunner(BuilderConfig config, BuildStore store, BuildPipeline pipeline, OutboxRelay relay,
            BuildMetrics metrics, ProgressWatchdogs watchdogs) {
        this.config = config;
        this.store = store;
        this.pipeline = pipeline;
        this.relay = relay;
        this.metrics = metrics;
        this.watchdog = watchdogs.watch("build-runner", config.runner().stuckAfter());
    }

    @Scheduled(every = "${builder.runner.poll:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "1s")
    void tick() {
        try {
            while (runNext()) {
                // drain the queue, one job at a time
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "build runner failed; it retries on its next tick");
        }
    }

    void stop(@Observes ShutdownEvent event) {
        builds.shutdownNow();
    }

    /** Runs one job if there is one; returns whether it did. */
    public boolean runNext() {
        BuilderConfig.Runner runner = config.runner();
        Optional<BuildJob> leased = store.lease(instance, Instant.now(), runner.lease(), runner.deadline());
        if (leased.isEmpty()) {
            watchdog.idle();
            return false;
        }
        watchdog.working("build job " + leased.get().seq + " of catalog " + leased.get().catalog);
        run(leased.get());
        relay.publishPending();
        return true;
    }

    private void run(BuildJob job) {
        BuilderConfig.Runner runner = config.runner();
        Cause cause = new Cause(job.eventId, job.correlationId);
        AtomicLong progress = new AtomicLong();
        BuildPipeline.Checkpoint checkpoint = new BuildPipeline.Checkpoint() {
            @Override
            public void check() {
                progress.incrementAndGet();
                watchdog.progressed();
                if (store.newerWaiting(job, Instant.now().plus(runner.lease()))) {
                    throw new SupersededException("a newer change of " + job.catalog + " is waiting");
                }
            }

            @Override
            public void progress() {
                progress.incrementAndGet();
                watchdog.progressed();
            }
        };
        LOG.infof("building catalog %s at revision %s (job %d, attempt %d of %d)", job.catalog, job.revision, job.seq,
                job.attempts, runner.maxAttempts());
        Instant started = Instant.now();
        BuildOutcome outcome;
        try {
            outcome = supervise(job, builds.submit(() -> build(job, checkpoint)), progress);
        } catch (TransientFailure e) {
            if (job.attempts < runner.maxAttempts()) {
                LOG.warnf("catalog %s: attempt %d failed, retrying: %s", job.catalog, job.attempts, e.getMessage());
                persist(job, "re-queueing", () -> store.retryLater(job, e.getMessage(),
                        Instant.now().plus(runner.retryDelay())));
                metrics.attempt("retried", Duration.between(started, Instant.now()));
                return;
            }
            outcome = failed(job, "gave up after " + job.attempts + " attempts: " + e.getMessage());
        }
        if (outcome == null) {
            metrics.attempt("abandoned", Duration.between(started, Instant.now()));
            return;
        }
        BuildOutcome result = outcome;
        persist(job, "recording the outcome", () -> record(job, cause, result));
        Instant ended = Instant.now();
        metrics.attempt(outcomeName(result), Duration.between(started, ended));
        if (result instanceof BuildOutcome.Built) {
            metrics.built(EventJson.read(job.changeEvent, CatalogChanged.class).detectedAt(), ended);
        }
    }

    private static String outcomeName(BuildOutcome outcome) {
        if (outcome instanceof BuildOutcome.Built) {
            return "succeeded";
        }
        return outcome instanceof BuildOutcome.Failed ? "failed" : "superseded";
    }

    /** The build, on a build thread. */
    private BuildOutcome build(BuildJob job, BuildPipeline.Checkpoint checkpoint) {
        CatalogChanged change = EventJson.read(job.changeEvent, CatalogChanged.class);
        try {
            checkpoint.check();
            Optional<BuildJob> previous = store.lastSuccess(job.catalog, job.seq);
            return pipeline.build(job.catalog, change, previous.map(this::summary).orElse(null),
                    previous.map(p -> p.image).orElse(null), checkpoint);
        } catch (SupersededException e) {
            return new BuildOutcome.Superseded(e.getMessage());
        }
    }

    /**
     * Waits for the build, renewing its lease while it makes progress. Returns its outcome; null when the attempt
     * was abandoned (lease lost, or no progress for a whole lease: the reconciler re-drives it).
     */
    private BuildOutcome supervise(BuildJob job, Future<BuildOutcome> build, AtomicLong progress) {
        BuilderConfig.Runner runner = config.runner();
        long renewEvery = Math.max(50, runner.lease().toMillis() / 4);
        long seen = progress.get();
        Instant lastProgress = Instant.now();
        while (true) {
            try {
                return build.get(renewEvery, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillRunning) {
                Instant now = Instant.now();
                if (job.deadlineAt != null && now.isAfter(job.deadlineAt)) {
                    build.cancel(true);
                    return failed(job, StuckJob.pastDeadline(runner.deadline(), job.attempts, runner.maxAttempts()));
                }
                long current = progress.get();
                if (current != seen) {
                    seen = current;
                    lastProgress = now;
                    if (!renew(job, now.plus(runner.lease()))) {
                        build.cancel(true);
                        LOG.warnf("catalog %s: job %d lost its lease; attempt %d abandoned", job.catalog, job.seq,
                                job.attempts);
                        return null;
                    }
                } else if (now.isAfter(lastProgress.plus(runner.lease()))) {
                    build.cancel(true);
                    LOG.warnf("catalog %s: job %d made no progress for %s; attempt %d abandoned, the reconciler "
                            + "re-drives it", job.catalog, job.seq, runner.lease(), job.attempts);
                    return null;
                }
            } catch (ExecutionException e) {
                return outcomeOf(job, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                build.cancel(true);
                return null;
            }
        }
    }

    private BuildOutcome outcomeOf(BuildJob job, Throwable failure) {
        if (failure instanceof TransientFailure transientFailure) {
            throw transientFailure;
        }
        if (failure instanceof OutOfMemoryError) {
            LOG.errorf(failure, "catalog %s: job %d ran out of memory", job.catalog, job.seq);
            return failed(job, "the build ran out of memory (" + failure + "); its input is too large for this heap");
        }
        if (failure instanceof StackOverflowError) {
            LOG.errorf(failure, "catalog %s: job %d overflowed its stack", job.catalog, job.seq);
            return failed(job, "the build overflowed its stack (StackOverflowError); its input is nested too deeply");
        }
        LOG.errorf(failure, "catalog %s: build failed unexpectedly", job.catalog);
        return failed(job, "internal error: " + failure);
    }

    /** Renews the lease; a database error keeps the attempt going (the lease may still be valid). */
    private boolean renew(BuildJob job, Instant leaseUntil) {
        try {
            return store.renew(job, leaseUntil);
        } catch (TransientFailure e) {
            LOG.warnf("catalog %s: %s", job.catalog, e.getMessage());
            return true;
        }
    }

    /**
     * Writes the end of an attempt, retrying with backoff while the database is unavailable, for up to a lease;
     * after that the lease has expired and the reconciler re-drives the job.
     */
    private void persist(BuildJob job, String what, Runnable write) {
        Instant giveUp = Instant.now().plus(config.runner().lease());
        Duration delay = Duration.ofMillis(500);
        while (true) {
            try {
                write.run();
                return;
            } catch (RuntimeException e) {
                if (Instant.now().plus(delay).isAfter(giveUp)) {
                    LOG.errorf("catalog %s: %s for job %d failed until its lease ran out (%s); the reconciler "
                            + "re-drives it", job.catalog, what, job.seq, e.getMessage());
                    return;
                }
                LOG.warnf("catalog %s: %s for job %d failed, retrying in %s: %s", job.catalog, what, job.seq, delay,
                        e.getMessage());
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                delay = delay.multipliedBy(2).compareTo(MAX_PERSIST_BACKOFF) > 0 ? MAX_PERSIST_BACKOFF
                        : delay.multipliedBy(2);
            }
        }
    }

    private static BuildOutcome failed(BuildJob job, String reason) {
        return new BuildOutcome.Failed(new CatalogBuildFailed(job.catalog, job.revision, reason, List.of()));
    }

    private void record(BuildJob job, Cause cause, BuildOutcome outcome) {
        Instant now = Instant.now();
        Clock clock = Clock.systemUTC();
        if (outcome instanceof BuildOutcome.Built built) {
            var event = EventEnvelope.causedBy(cause, EventSources.BUILDER, built.event(), clock);
            store.finish(job, BuildJob.Status.SUCCEEDED, built.event().image(),
                    built.invalidImages().isEmpty() ? null
                            : "references invalid image names: " + String.join(", ", built.invalidImages()),
                    EventJson.toJson(built.event()), write(built.summary()), event, now);
            LOG.infof("catalog %s built: %s (%d packages, %d excluded)", job.catalog, built.event().image(),
                    built.event().counts().packages(), built.event().excludedPackages().size());
        } else if (outcome instanceof BuildOutcome.Failed failed) {
            var event = EventEnvelope.causedBy(cause, EventSources.BUILDER, failed.event(), clock);
            store.finish(job, BuildJob.Status.FAILED, null, failed.event().reason(),
                    EventJson.toJson(failed.event()), null, event, now);
            LOG.warnf("catalog %s build failed: %s", job.catalog, failed.event().reason());
        } else if (outcome instanceof BuildOutcome.Superseded superseded) {
            store.finish(job, BuildJob.Status.SUPERSEDED, null, superseded.reason(), null, null, null, now);
            LOG.infof("catalog %s: job %d superseded: %s", job.catalog, job.seq, superseded.reason());
        }
    }

    private CatalogSummary summary(BuildJob job) {
        try {
            return job.summary == null ? null : json.readValue(job.summary, CatalogSummary.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("build %d of %s has an unreadable summary; diffing against nothing", job.seq, job.catalog);
            return null;
        }
    }

    private String write(CatalogSummary summary) {
        try {
            return json.writeValueAsString(summary);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
