package dev.catalogautopilot.builder.build;

import dev.catalogautopilot.outbox.ReactiveWork;
import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventJson;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.outbox.Outbox;
import dev.catalogautopilot.outbox.ProcessedEvents;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Build jobs and the package cache in PostgreSQL. A change event becomes a job in the same transaction that
 * records it as processed; a runner leases the oldest open job of a catalog ({@code FOR UPDATE SKIP LOCKED}, with
 * a lease that expires if the runner dies); a job's outcome and its event commit together through the outbox.
 */
@ApplicationScoped
public class BuildStore {

    /** Consumer name in {@code processed_event}. */
    public static final String CONSUMER = "builder-service/catalog-changes";

    // The oldest open job of a catalog whose earlier jobs are all finished and that no live runner holds.
    private static final String NEXT_JOB = """
            SELECT j.seq FROM build_job j
            WHERE ((j.status = 'QUEUED' AND (j.lease_until IS NULL OR j.lease_until < :now))
                OR (j.status = 'RUNNING' AND j.lease_until < :now))
              AND NOT EXISTS (SELECT 1 FROM build_job o WHERE o.catalog = j.catalog AND o.seq < j.seq
                              AND o.status IN ('QUEUED', 'RUNNING'))
            ORDER BY j.seq
            LIMIT 1
            FOR UPDATE OF j SKIP LOCKED""";

    private final ProcessedEvents processed;
    private final Outbox outbox;

    public BuildStore(ProcessedEvents processed, Outbox outbox) {
        this.processed = processed;
        this.outbox = outbox;
    }

    /** Records a change event as a queued job, once: a redelivered event finds its id processed and adds nothing. */
    public Uni<Boolean> enqueue(EventEnvelope<CatalogChanged> change, Instant now) {
        return Panache.withTransaction(() -> processed.firstTime(CONSUMER, change.id()).chain(first -> {
            if (!first) {
                return Uni.createFrom().item(false);
            }
            BuildJob job = new BuildJob();
            job.catalog = change.data().catalog();
            job.eventId = change.id();
            job.correlationId = change.correlationId();
            job.revision = change.data().revision();
            job.changeEvent = EventJson.toJson(change.data());
            job.status = BuildJob.Status.QUEUED.name();
            job.createdAt = now;
            return job.persist().replaceWith(true);
        }));
    }

    /** Leases the next runnable job, if any. */
    public Optional<BuildJob> lease(String owner, Instant now, Duration lease) {
        return ReactiveWork.await(() -> Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery(NEXT_JOB, Long.class).setParameter("now", now).getSingleResultOrNull()
                .chain(seq -> seq == null ? Uni.createFrom().<BuildJob>nullItem()
                        : BuildJob.<BuildJob>findById(seq).invoke(job -> {
                            job.status = BuildJob.Status.RUNNING.name();
                            job.attempts++;
                            job.leaseOwner = owner;
                            job.leaseUntil = now.plus(lease);
                            job.startedAt = now;
                        })))).map(Optional::ofNullable));
    }

    /** Whether a newer change of the catalog waits; the job in hand is then superseded. Also extends the lease. */
    public boolean newerWaiting(BuildJob job, String owner, Instant leaseUntil) {
        return ReactiveWork.await(() -> Panache.withTransaction(() -> BuildJob.update(
                "leaseUntil = ?1 where seq = ?2 and leaseOwner = ?3 and status = 'RUNNING'", leaseUntil, job.seq, owner)
                .chain(() -> BuildJob.count("catalog = ?1 and seq > ?2 and status = 'QUEUED'", job.catalog, job.seq))
                .map(n -> n > 0)));
    }

    /** The last successful build of the catalog before {@code seq}: what the next build diffs against. */
    public Optional<BuildJob> lastSuccess(String catalog, long seq) {
        return ReactiveWork.await(() -> Panache.withSession(() -> BuildJob.<BuildJob>find(
                "catalog = ?1 and seq < ?2 and status = 'SUCCEEDED' order by seq desc", catalog, seq)
                .firstResult().map(Optional::ofNullable)));
    }

    /**
     * Finishes a job held by {@code owner} and adds its event to the outbox once. A job whose lease another runner
     * took over is left alone: that runner finishes it with the same event id.
     */
    public boolean finish(BuildJob job, String owner, BuildJob.Status status, String image, String reason,
            String result, String summary, EventEnvelope<?> event, Instant now) {
        return ReactiveWork.await(() -> Panache.withTransaction(() -> BuildJob.<BuildJob>findById(job.seq).chain(current -> {
            if (current == null || !owner.equals(current.leaseOwner)
                    || !BuildJob.Status.RUNNING.name().equals(current.status)) {
                return Uni.createFrom().item(false);
            }
            current.status = status.name();
            current.finishedAt = now;
            current.leaseUntil = null;
            current.image = image;
            current.reason = reason;
            current.result = result;
            current.summary = summary;
            return event == null ? Uni.createFrom().item(true) : outbox.addOnce(event).replaceWith(true);
        })));
    }

    /** Puts a job back in the queue after a transient failure, runnable again from {@code notBefore}. */
    public void retryLater(BuildJob job, String owner, String reason, Instant notBefore) {
        ReactiveWork.await(() -> Panache.withTransaction(() -> BuildJob.update(
                "status = 'QUEUED', leaseOwner = null, leaseUntil = ?1, reason = ?2 where seq = ?3 and leaseOwner = ?4",
                notBefore, reason, job.seq, owner)));
    }

    /** The most recent jobs, newest first, of one catalog or (null) of every catalog. */
    public Uni<List<BuildJob>> recent(String catalog, int limit) {
        return Panache.withSession(() -> (catalog == null
                ? BuildJob.<BuildJob>find("order by seq desc")
                : BuildJob.<BuildJob>find("catalog = ?1 order by seq desc", catalog)).page(0, limit).list());
    }

    /** Cached packages by id. */
    public Map<String, PackageCacheEntry> cached(List<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return ReactiveWork.await(() -> Panache.withSession(() -> PackageCacheEntry.<PackageCacheEntry>list("id in ?1", ids)))
                .stream().collect(Collectors.toMap(e -> e.id, Function.identity()));
    }

    /** Stores freshly fetched packages, replacing older entries. */
    public void cache(List<PackageCacheEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        ReactiveWork.await(() -> Panache.withTransaction(() -> Panache.getSession().chain(session -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (PackageCacheEntry entry : entries) {
                chain = chain.chain(() -> session.merge(entry).replaceWithVoid());
            }
            return chain;
        })));
    }

}
