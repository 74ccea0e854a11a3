package dev.catalogautopilot.mirror.job;

import dev.catalogautopilot.mirror.copy.BlobLocations;
import dev.catalogautopilot.mirror.copy.BlobPlacement;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.RepositoryRef;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.Optional;

/**
 * Blob placements in PostgreSQL ({@code mirror_blob}), shared by every instance and kept across restarts: where
 * to mount a blob from, and the per-blob record that shows no blob was uploaded twice.
 */
final class PersistentBlobLocations implements BlobLocations {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private final String worker;

    PersistentBlobLocations(Pool pool, String worker) {
        this.pool = pool;
        this.worker = worker;
    }

    @Override
    public Optional<RepositoryRef> find(String registry, Digest digest) {
        RowIterator<Row> rows = pool.preparedQuery("SELECT repository FROM mirror_blob WHERE registry = $1"
                        + " AND digest = $2 ORDER BY seq LIMIT 1")
                .execute(Tuple.of(registry, digest.value())).await().atMost(TIMEOUT).iterator();
        return rows.hasNext() ? Optional.of(RepositoryRef.of(registry, rows.next().getString("repository")))
                : Optional.empty();
    }

    @Override
    public void placed(RepositoryRef repository, Digest digest, BlobPlacement how, long bytes) {
        pool.preparedQuery("INSERT INTO mirror_blob (registry, repository, digest, placement, bytes, worker, placed_at)"
                        + " VALUES ($1, $2, $3, $4, $5, $6, now())")
                .execute(Tuple.from(java.util.List.of(repository.registry(), repository.repository(), digest.value(),
                        how.name(), bytes, worker)))
                .await().atMost(TIMEOUT);
    }
}
