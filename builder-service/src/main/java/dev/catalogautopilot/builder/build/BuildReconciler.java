package dev.catalogautopilot.builder.build;

import dev.catalogautopilot.builder.config.BuilderConfig;
import dev.catalogautopilot.events.Cause;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.catalog.CatalogBuildFailed;
import dev.catalogautopilot.outbox.OutboxRelay;
import dev.catalogautopilot.outbox.progress.ProgressWatchdog;
import dev.catalogautopilot.outbox.progress.ProgressWatchdogs;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Finds build jobs stuck past a bound and re-drives or fails them (see {@link StuckJob}): running jobs whose lease
 * expired, and open jobs past their deadline. A failed job gets its {@code catalog.build-failed} event, with the
 * same deterministic id its runner would have given it. Any instance may reconcile; rows are locked while decided.
 */
@ApplicationScoped
public class BuildReconciler {

    private static final Logger LOG = Logger.getLogger(BuildReconciler.class);
    /** Jobs decided per transaction; the next run takes the rest. */
    private static final int BATCH = 100;

    private final BuilderConfig config;
    private final BuildStore store;
    private final OutboxRelay relay;
    private final BuildMetrics metrics;
    private final ProgressWatchdog watchdog;

    public BuildReconciler(BuilderConfig config, BuildStore store, OutboxRelay relay, BuildMetrics metrics,
            ProgressWatchdogs watchdogs) {
        this.config = config;
        this.store = store;
        this.relay = relay;
        this.metrics = metrics;
        this.watchdog = watchdogs.watch("build-reconciler", config.runner().stuckAfter());
    }

    @Scheduled(every = "${builder.runner.reconcile-every:15s}", delayed = "${builder.runner.reconcile-every:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.warnf("build reconciler will retry: %s", e.getMessage());
        }
    }

    /** Decides every stuck job now; returns the decisions taken. */
    public List<StuckJob> reconcile() {
        BuilderConfig.Runner runner = config.runner();
        Clock clock = Clock.systemUTC();
        List<StuckJob> decisions = store.reconcile(Instant.now(), runner.maxAttempts(), runner.deadline(), BATCH,
                (job, reason) -> EventEnvelope.causedBy(new Cause(job.eventId, job.correlationId),
                        EventSources.BUILDER, new CatalogBuildFailed(job.catalog, job.revision, reason, List.of()),
                        clock));
        watchdog.idle(); // a completed pass is its progress
        long failed = decisions.stream().filter(StuckJob.Fail.class::isInstance).count();
        long requeued = decisions.stream().filter(StuckJob.Requeue.class::isInstance).count();
        metrics.reconciled("requeued", requeued);
        metrics.reconciled("failed", failed);
        if (!decisions.isEmpty()) {
            LOG.warnf("reconciled %d stuck build job(s): %d re-queued, %d failed; %s", decisions.size(),
                    decisions.size() - failed, failed, decisions);
        }
        if (failed > 0) {
            relay.publishPending();
        }
        return decisions;
    }
}
