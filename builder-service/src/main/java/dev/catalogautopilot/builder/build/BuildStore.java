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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
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

    // The oldest open job of a catalog whose earlier jobs are all finished. A running job whose lease expired is the
    // reconciler's to re-queue or fail, so that its attempts are counted and a poison job ends.
    private static final String NEXT_JOB = """
            SELECT j.seq FROM build_job j
            WHERE j.status = 'QUEUED' AND (j.lease_until IS NULL OR j.lease_until < :now)
              AND (j.deadline_at IS NULL OR j.deadline_at >= :now)
              AND NOT EXISTS (SELECT 1 FROM build_job o WHERE o.catalog = j.catalog AND o.seq < j.seq
                              AND o.status IN ('QUEUED', 'RUNNING'))
            ORDER BY j.seq
            LIMIT 1
            FOR UPDATE OF j SKIP LOCKED""";

    // Open jobs past their deadline, and running jobs whose lease expired.
    private static final String STUCK_JOBS = """
            SELECT j.seq FROM build_job j
            WHERE j.status IN ('QUEUED', 'RUNNING')
              AND (j.deadline_at < :now OR (j.status = 'RUNNING' AND (j.lease_until IS NULL OR j.lease_until < :now)))
            ORDER BY j.seq
            LIMIT :limit
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

    /**
     * Leases the next runnable job, if any, counting the attempt. The lease owner names the attempt
     * ({@code <instance>#<attempt>}), so a worker that lost its lease cannot finish a later attempt of the same job.
     * The job's deadline starts with its first lease.
     */
    public Optional<BuildJob> lease(String instance, Instant now, Duration lease, Duration deadline) {
        return ReactiveWork.await(() -> Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery(NEXT_JOB, Long.class).setParameter("now", now).getSingleResultOrNull()
                .chain(seq -> seq == null ? Uni.createFrom().<BuildJob>nullItem()
                        : BuildJob.<BuildJob>findById(seq).invoke(job -> {
                            job.status = BuildJob.Status.RUNNING.name();
                            job.attempts++;
                            job.leaseOwner = instance + "#" + job.attempts;
                            job.leaseUntil = now.plus(lease);
                            job.startedAt = now;
                            if (job.deadlineAt == null) {
                                job.deadlineAt = now.plus(deadline);
                            }
                        })))).map(Optional::ofNullable));
    }

    /** Extends the lease of a job its owner still holds; false when the lease was lost. */
    public boolean renew(BuildJob job, Instant leaseUntil) {
        return duringBuild("renewing the lease of build " + job.seq, () -> Panache.withTransaction(() -> BuildJob.update(
                "leaseUntil = ?1 where seq = ?2 and leaseOwner = ?3 and status = 'RUNNING'", leaseUntil, job.seq,
                job.leaseOwner))) > 0;
    }

    /** Whether a newer change of the catalog waits; the job in hand is then superseded. Also extends the lease. */
    public boolean newerWaiting(BuildJob job, Instant leaseUntil) {
        return duringBuild("checking for newer changes of " + job.catalog, () -> Panache.withTransaction(() -> BuildJob
                .update("leaseUntil = ?1 where seq = ?2 and leaseOwner = ?3 and status = 'RUNNING'", leaseUntil,
                        job.seq, job.leaseOwner)
                .chain(() -> BuildJob.count("catalog = ?1 and seq > ?2 and status = 'QUEUED'", job.catalog, job.seq))
                .map(n -> n > 0)));
    }

    /** The last successful build of the catalog before {@code seq}: what the next build diffs against. */
    public Optional<BuildJob> lastSuccess(String catalog, long seq) {
        return duringBuild("reading the last build of " + catalog, () -> Panache.withSession(() -> BuildJob
                .<BuildJob>find("catalog = ?1 and seq < ?2 and status = 'SUCCEEDED' order by seq desc", catalog, seq)
                .firstResult().map(Optional::ofNullable)));
    }

    /** Open jobs counted by status, in one query (the queue-depth gauges). */
    public Map<String, Long> openJobsByStatus() {
        return ReactiveWork.await(() -> Panache.withSession(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("SELECT status, count(*) FROM build_job WHERE status IN ('QUEUED', 'RUNNING')"
                        + " GROUP BY status", Object[].class)
                .getResultList()
                .map(rows -> rows.stream().collect(Collectors.toMap(row -> (String) row[0],
                        row -> ((Number) row[1]).longValue()))))));
    }

    /**
     * Re-queues or fails up to {@code limit} stuck jobs in one transaction (see {@link StuckJob}); a failed job's
     * event, made by {@code failure}, joins the outbox in the same transaction. Returns the decisions taken.
     */
    public List<StuckJob> reconcile(Instant now, int maxAttempts, Duration deadline, int limit,
            BiFunction<BuildJob, String, EventEnvelope<?>> failure) {
        return ReactiveWork.await(() -> Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery(STUCK_JOBS, Long.class).setParameter("now", now).setParameter("limit", limit)
                .getResultList()
                .chain(seqs -> seqs.isEmpty() ? Uni.createFrom().item(List.<BuildJob>of())
                        : BuildJob.<BuildJob>list("seq in ?1 order by seq", seqs))
                .chain(jobs -> {
                    List<StuckJob> decisions = new ArrayList<>();
                    List<EventEnvelope<?>> events = new ArrayList<>();
                    for (BuildJob job : jobs) {
                        StuckJob decision = StuckJob.decide(job.state(), job.attempts, job.leaseUntil,
                                job.deadlineAt, now, maxAttempts, deadline);
                        decisions.add(decision);
                        if (decision instanceof StuckJob.Requeue requeue) {
                            job.status = BuildJob.Status.QUEUED.name();
                            job.leaseOwner = null;
                            job.leaseUntil = null;
                            job.reason = requeue.reason();
                        } else if (decision instanceof StuckJob.Fail fail) {
                            EventEnvelope<?> event = failure.apply(job, fail.reason());
                            job.status = BuildJob.Status.FAILED.name();
                            job.leaseOwner = null;
                            job.leaseUntil = null;
                            job.finishedAt = now;
                            job.reason = fail.reason();
                            job.result = EventJson.toJson(event.data());
                            events.add(event);
                        }
                    }
                    return outbox.addAllOnce(events).replaceWith(decisions);
                }))));
    }

    /**
     * Finishes a job whose lease this attempt holds and adds its event to the outbox once. A job whose lease was lost
     * (re-queued or failed by the reconciler, taken by a later attempt) is left alone.
     */
    public boolean finish(BuildJob job, BuildJob.Status status, String image, String reason,
            String result, String summary, EventEnvelope<?> event, Instant now) {
        String owner = job.leaseOwner;
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
    public void retryLater(BuildJob job, String reason, Instant notBefore) {
        ReactiveWork.await(() -> Panache.withTransaction(() -> BuildJob.update(
                "status = 'QUEUED', leaseOwner = null, leaseUntil = ?1, reason = ?2 where seq = ?3 and leaseOwner = ?4",
                notBefore, reason, job.seq, job.leaseOwner)));
    }

    /** The most recent jobs, newest first, of one catalog or (null) of every catalog. */
    public Uni<List<BuildJob>> recent(String catalog, int limit) {
        return Panache.withSession(() -> (catalog == null
                ? BuildJob.<BuildJob>find("order by seq desc")
                : BuildJob.<BuildJob>find("catalog = ?1 order by seq desc", catalog)).page(0, limit).list());
    }

    /** Cached packages by id, content included: read a bounded batch at a time. */
    public Map<String, PackageCacheEntry> cached(List<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return duringBuild("reading the package cache", () -> Panache.withSession(() -> PackageCacheEntry
                .<PackageCacheEntry>list("id in ?1", ids))).stream().collect(Collectors.toMap(e -> e.id, Function.identity()));
    }

    /** The content digest of each cached package, without the content: one query for a whole catalog. */
    public Map<String, String> cachedDigests(List<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<Object[]> rows = duringBuild("reading the package cache", () -> Panache.withSession(() -> Panache
                .getSession().chain(session -> session.createNativeQuery(
                                "SELECT id, digest FROM package_cache WHERE id IN (:ids)", Object[].class)
                        .setParameter("ids", ids).getResultList())));
        Map<String, String> digests = new java.util.HashMap<>();
        rows.forEach(row -> digests.put((String) row[0], (String) row[1]));
        return digests;
    }

    /** The stage and problem of each cached package, without the content: read a bounded batch at a time. */
    public Map<String, PackageCacheEntry> cachedStages(List<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<Object[]> rows = duringBuild("reading the package cache", () -> Panache.withSession(() -> Panache
                .getSession().chain(session -> session.createNativeQuery(
                                "SELECT id, digest, stage, problem, problem_kind FROM package_cache WHERE id IN (:ids)",
                                Object[].class)
                        .setParameter("ids", ids).getResultList())));
        Map<String, PackageCacheEntry> entries = new java.util.HashMap<>();
        for (Object[] row : rows) {
            PackageCacheEntry entry = new PackageCacheEntry();
            entry.id = (String) row[0];
            entry.digest = (String) row[1];
            entry.stage = (String) row[2];
            entry.problem = (String) row[3];
            entry.problemKind = (String) row[4];
            entries.put(entry.id, entry);
        }
        return entries;
    }

    /**
     * Records the stages computed for cached packages, in one statement per batch. A stage lands only on the row
     * of the content it was computed from: a row another build replaced meanwhile keeps its own.
     */
    public void saveStages(List<PackageCacheEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("UPDATE package_cache c SET stage = v.stage FROM (VALUES ");
        for (int i = 0; i < entries.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(CAST(:id").append(i).append(" AS text), CAST(:digest").append(i)
                    .append(" AS text), CAST(:stage").append(i).append(" AS text))");
        }
        sql.append(") AS v(id, digest, stage) WHERE c.id = v.id AND c.digest = v.digest");
        duringBuild("writing the package cache", () -> Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> {
                    var query = session.createNativeQuery(sql.toString());
                    for (int i = 0; i < entries.size(); i++) {
                        PackageCacheEntry e = entries.get(i);
                        query.setParameter("id" + i, e.id).setParameter("digest" + i, e.digest)
                                .setParameter("stage" + i, e.stage);
                    }
                    return query.executeUpdate();
                })));
    }

    /**
     * Stores freshly fetched packages, replacing older entries, in one multi-row statement: callers pass a bounded
     * batch (a build caches as it fetches, batch by batch).
     */
    public void cache(List<PackageCacheEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder(
                "INSERT INTO package_cache (id, digest, content, problem, problem_kind, stage, cached_at) VALUES ");
        for (int i = 0; i < entries.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:id").append(i).append(", :digest").append(i)
                    .append(", CAST(:content").append(i).append(" AS text), CAST(:problem").append(i)
                    .append(" AS text), CAST(:kind").append(i).append(" AS varchar), CAST(:stage").append(i)
                    .append(" AS text), :at").append(i).append(')');
        }
        sql.append(" ON CONFLICT (id) DO UPDATE SET digest = EXCLUDED.digest, content = EXCLUDED.content,"
                + " problem = EXCLUDED.problem, problem_kind = EXCLUDED.problem_kind, stage = EXCLUDED.stage,"
                + " cached_at = EXCLUDED.cached_at");
        duringBuild("writing the package cache", () -> Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> {
                    var query = session.createNativeQuery(sql.toString());
                    for (int i = 0; i < entries.size(); i++) {
                        PackageCacheEntry e = entries.get(i);
                        query.setParameter("id" + i, e.id).setParameter("digest" + i, e.digest)
                                .setParameter("content" + i, e.content).setParameter("problem" + i, e.problem)
                                .setParameter("kind" + i, e.problemKind).setParameter("stage" + i, e.stage)
                                .setParameter("at" + i, e.cachedAt);
                    }
                    return query.executeUpdate();
                })));
    }

    /** Database work during a build: failing, it fails the attempt as transient, so the job is retried. */
    private static <T> T duringBuild(String what, java.util.function.Supplier<Uni<T>> work) {
        try {
            return ReactiveWork.await(work);
        } catch (TransientFailure | SupersededException e) {
            throw e;
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new TransientFailure("database unavailable while " + what + ": " + root, e);
        }
    }

}
