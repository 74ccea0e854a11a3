package dev.catalogautopilot.mirror.copy;

import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.RepositoryRef;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which blobs this process has seen on target registries, and which ones are being uploaded right now, so that
 * concurrent jobs upload a shared blob once and mount it everywhere else. Backed by {@link BlobLocations} for
 * what other instances and earlier runs placed.
 */
public final class BlobLedger {

    private final BlobLocations durable;
    private final ConcurrentHashMap<String, RepositoryRef> anywhere = new ConcurrentHashMap<>();
    private final Set<String> present = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, CompletableFuture<RepositoryRef>> uploading = new ConcurrentHashMap<>();

    public BlobLedger(BlobLocations durable) {
        this.durable = durable;
    }

    /** Whether this process has seen the blob in exactly this repository. */
    boolean isIn(RepositoryRef repository, Digest digest) {
        return present.contains(repository + "@" + digest);
    }

    /** A repository on {@code registry} holding the blob, as far as this process or the durable record knows. */
    Optional<RepositoryRef> locate(String registry, Digest digest) {
        RepositoryRef known = anywhere.get(registry + "@" + digest);
        return known != null ? Optional.of(known) : durable.find(registry, digest);
    }

    /** Records a blob now present in {@code repository}. */
    void placed(RepositoryRef repository, Digest digest, BlobPlacement how, long bytes) {
        present.add(repository + "@" + digest);
        anywhere.putIfAbsent(repository.registry() + "@" + digest, repository);
        durable.placed(repository, digest, how, bytes);
    }

    /**
     * Claims the upload of a blob to {@code registry}: null when the caller won and must upload then call
     * {@link #release}; otherwise the upload in progress elsewhere, completing with its repository.
     */
    CompletableFuture<RepositoryRef> claim(String registry, Digest digest, CompletableFuture<RepositoryRef> mine) {
        return uploading.putIfAbsent(registry + "@" + digest, mine);
    }

    void release(String registry, Digest digest, CompletableFuture<RepositoryRef> mine) {
        uploading.remove(registry + "@" + digest, mine);
    }
}
