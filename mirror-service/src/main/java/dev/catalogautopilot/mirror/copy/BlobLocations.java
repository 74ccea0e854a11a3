package dev.catalogautopilot.mirror.copy;

import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.RepositoryRef;
import java.util.Optional;

/**
 * Durable knowledge of where blobs already sit on target registries, shared by every worker instance and kept
 * across restarts, so a blob copied once is mounted, not copied again.
 */
public interface BlobLocations {

    /** Knows nothing and remembers nothing: each {@link BlobLedger} then only knows what its own process did. */
    BlobLocations NONE = new BlobLocations() {
        @Override
        public Optional<RepositoryRef> find(String registry, Digest digest) {
            return Optional.empty();
        }

        @Override
        public void placed(RepositoryRef repository, Digest digest, BlobPlacement how, long bytes) {
        }
    };

    /** A repository of {@code registry} known to hold the blob. */
    Optional<RepositoryRef> find(String registry, Digest digest);

    /** Records that the blob is now in {@code repository}, and how it got there. */
    void placed(RepositoryRef repository, Digest digest, BlobPlacement how, long bytes);
}
