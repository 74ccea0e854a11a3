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
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs build jobs off the Kafka thread: leases the next job from PostgreSQL, builds it, and commits its outcome
 * with its event. The build event's id derives from the change event's, so a job run twice (after a crash, or a
 * lease taken over) yields the same event, which the outbox keeps once.
 */
@ApplicationScoped
public class BuildRunner {

    private static final Logger LOG = Logger.getLogger(BuildRunner.class);

    private final BuilderConfig config;
    private final BuildStore store;
    private final BuildPipeline pipeline;
    private final OutboxRelay relay;
    private final ObjectMapper json = EventJson.newMapper();
    private final String owner = "builder-" + UUID.randomUUID();

    public BuildRunner(BuilderConfig config, BuildStore store, BuildPipeline pipeline, OutboxRelay relay) {
        this.config = config;
        this.store = store;
        this.pipeline = pipeline;
        this.relay = relay;
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

    /** Runs one job if there is one; returns whether it did. */
    public boolean runNext() {
        Optional<BuildJob> leased = store.lease(owner, Instant.now(), config.runner().lease());
        if (leased.isEmpty()) {
            return false;
        }
        run(leased.get());
        relay.publishPending();
        return true;
    }

    private void run(BuildJob job) {
        CatalogChanged change = EventJson.read(job.changeEvent, CatalogChanged.class);
        Cause cause = new Cause(job.eventId, job.correlationId);
        BuildPipeline.Checkpoint checkpoint = () -> {
            if (store.newerWaiting(job, owner, Instant.now().plus(config.runner().lease()))) {
                throw new SupersededException("a newer change of " + job.catalog + " is waiting");
            }
        };
        BuildOutcome outcome;
        try {
            checkpoint.check();
            Optional<BuildJob> previous = store.lastSuccess(job.catalog, job.seq);
            LOG.infof("building catalog %s at revision %s (job %d, attempt %d)", job.catalog, job.revision, job.seq,
                    job.attempts);
            outcome = pipeline.build(job.catalog, change, previous.map(this::summary).orElse(null),
                    previous.map(p -> p.image).orElse(null), checkpoint);
        } catch (SupersededException e) {
            outcome = new BuildOutcome.Superseded(e.getMessage());
        } catch (TransientFailure e) {
            if (job.attempts < config.runner().maxAttempts()) {
                LOG.warnf("catalog %s: attempt %d failed, retrying: %s", job.catalog, job.attempts, e.getMessage());
                store.retryLater(job, owner, e.getMessage(), Instant.now().plus(config.runner().retryDelay()));
                return;
            }
            outcome = new BuildOutcome.Failed(new CatalogBuildFailed(job.catalog, job.revision,
                    "gave up after " + job.attempts + " attempts: " + e.getMessage(), List.of()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "catalog %s: build failed unexpectedly", job.catalog);
            outcome = new BuildOutcome.Failed(new CatalogBuildFailed(job.catalog, job.revision,
                    "internal error: " + e, List.of()));
        }
        record(job, cause, outcome);
    }

    private void record(BuildJob job, Cause cause, BuildOutcome outcome) {
        Instant now = Instant.now();
        Clock clock = Clock.systemUTC();
        if (outcome instanceof BuildOutcome.Built built) {
                var event = EventEnvelope.causedBy(cause, EventSources.BUILDER, built.event(), clock);
                store.finish(job, owner, BuildJob.Status.SUCCEEDED, built.event().image(),
                        built.invalidImages().isEmpty() ? null
                                : "references invalid image names: " + String.join(", ", built.invalidImages()),
                        EventJson.toJson(built.event()), write(built.summary()), event, now);
                LOG.infof("catalog %s built: %s (%d packages, %d excluded)", job.catalog, built.event().image(),
                        built.event().counts().packages(), built.event().excludedPackages().size());
        } else if (outcome instanceof BuildOutcome.Failed failed) {
                var event = EventEnvelope.causedBy(cause, EventSources.BUILDER, failed.event(), clock);
                store.finish(job, owner, BuildJob.Status.FAILED, null, failed.event().reason(),
                        EventJson.toJson(failed.event()), null, event, now);
                LOG.warnf("catalog %s build failed: %s", job.catalog, failed.event().reason());
        } else if (outcome instanceof BuildOutcome.Superseded superseded) {
                store.finish(job, owner, BuildJob.Status.SUPERSEDED, null, superseded.reason(), null, null, null, now);
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
