package dev.catalogautopilot.mirror.copy;

import dev.catalogautopilot.registry.Descriptor;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.Manifest;
import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.registry.RegistryException;
import dev.catalogautopilot.registry.RegistryFailures;
import dev.catalogautopilot.registry.RepositoryRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Copies one image by digest, whole: an index or manifest list with every platform, every manifest byte for
 * byte so the digest survives. Skips the image when the target already has it, skips or mounts blobs the target
 * registry already holds, and streams the rest from source to target, verified, several blobs at a time.
 */
public final class ImageCopier {

    private final RegistryClient client;
    private final BlobLedger ledger;
    private final ExecutorService blobPool;
    private final int blobsPerImage;
    private final BlobListener listener;

    /**
     * @param blobPool      runs blob transfers; shared by every image copied concurrently
     * @param blobsPerImage most blobs of one image in flight at once
     */
    public ImageCopier(RegistryClient client, BlobLedger ledger, ExecutorService blobPool, int blobsPerImage) {
        this(client, ledger, blobPool, blobsPerImage, BlobListener.NONE);
    }

    /** @param listener told of every blob placed */
    public ImageCopier(RegistryClient client, BlobLedger ledger, ExecutorService blobPool, int blobsPerImage,
            BlobListener listener) {
        if (blobsPerImage < 1) {
            throw new IllegalArgumentException("blobsPerImage must be >= 1");
        }
        this.client = client;
        this.ledger = ledger;
        this.blobPool = blobPool;
        this.blobsPerImage = blobsPerImage;
        this.listener = listener;
    }

    /**
     * Copies {@code source} (by digest, or by tag resolved once) to {@code target} (a tag, or a digest).
     *
     * @throws RegistryException when the copy fails; {@link RegistryFailures#isPermanent} tells whether to retry
     */
    public CopyResult copy(ImageReference source, ImageReference target) {
        long start = System.nanoTime();
        CopyCounters counters = new CopyCounters();
        Digest digest = source.digest() != null ? source.digest() : client.resolve(source).digest();
        RepositoryRef from = source.repositoryRef();
        RepositoryRef to = target.repositoryRef();
        if (target.tag() != null && digestAt(target).filter(digest::equals).isPresent()) {
            return new CopyResult(digest, counters.toStats(millisSince(start)), true);
        }
        Manifest top = client.getManifest(from.digest(digest));
        if (!client.hasManifest(to.digest(digest))) {
            Map<Digest, Manifest> children = new LinkedHashMap<>();
            List<Descriptor> blobs = new ArrayList<>();
            collect(from, top, children, blobs);
            copyBlobs(from, to, blobs, counters);
            for (Manifest child : children.values()) {
                client.putManifest(to, child.digest().value(), child.bytes(), child.mediaType());
                counters.manifest();
            }
        }
        client.putManifest(to, target.tag() != null ? target.tag() : digest.value(), top.bytes(), top.mediaType());
        counters.manifest();
        return new CopyResult(digest, counters.toStats(millisSince(start)), false);
    }

    private Optional<Digest> digestAt(ImageReference target) {
        try {
            return Optional.of(client.resolve(target).digest());
        } catch (RegistryException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Children in the order they must be pushed (deepest first), and every blob once. */
    private void collect(RepositoryRef from, Manifest manifest, Map<Digest, Manifest> children,
                         List<Descriptor> blobs) {
        ManifestContent content = ManifestContent.of(manifest);
        for (Descriptor blob : content.blobs()) {
            if (blobs.stream().noneMatch(b -> b.digest().equals(blob.digest()))) {
                blobs.add(blob);
            }
        }
        for (Descriptor child : content.children()) {
            if (!children.containsKey(child.digest())) {
                Manifest fetched = client.getManifest(from.digest(child.digest()));
                collect(from, fetched, children, blobs);
                children.put(child.digest(), fetched);
            }
        }
    }

    private void copyBlobs(RepositoryRef from, RepositoryRef to, List<Descriptor> blobs, CopyCounters counters) {
        Semaphore slots = new Semaphore(blobsPerImage);
        List<Future<?>> running = new ArrayList<>();
        RuntimeException failure = null;
        try {
            for (Descriptor blob : blobs) {
                if (failure == null && firstFailure(running) != null) {
                    failure = firstFailure(running);
                }
                if (failure != null) {
                    break;
                }
                slots.acquire();
                running.add(blobPool.submit(() -> {
                    try {
                        BlobPlacement how = ensureBlob(from, to, blob);
                        counters.blob(how, blob.size());
                        listener.placed(how, how == BlobPlacement.COPIED ? blob.size() : 0);
                    } finally {
                        slots.release();
                    }
                }));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.forEach(f -> f.cancel(true));
            throw new RegistryException("copy to " + to + " interrupted", 0, null, e);
        }
        for (Future<?> future : running) {
            RuntimeException e = outcome(future);
            if (e != null && (failure == null || RegistryFailures.isDigestMismatch(e))) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Makes sure the blob is in {@code to}: already there, mounted from elsewhere, or streamed from source. Only
     * the job that claims the upload asks the target, so concurrent jobs wait and mount instead of each checking.
     */
    private BlobPlacement ensureBlob(RepositoryRef from, RepositoryRef to, Descriptor blob) {
        Digest digest = blob.digest();
        if (ledger.isIn(to, digest)) {
            return BlobPlacement.SKIPPED;
        }
        while (true) {
            Optional<RepositoryRef> elsewhere = ledger.locate(to.registry(), digest);
            if (elsewhere.isPresent() && !elsewhere.get().equals(to)
                    && client.mountBlob(to, digest, elsewhere.get())) {
                ledger.placed(to, digest, BlobPlacement.MOUNTED, 0);
                return BlobPlacement.MOUNTED;
            }
            CompletableFuture<RepositoryRef> mine = new CompletableFuture<>();
            CompletableFuture<RepositoryRef> other = ledger.claim(to.registry(), digest, mine);
            if (other != null) {
                // Another job is uploading it right now: wait, then mount from there.
                other.handle((repository, error) -> null).join();
                if (other.isCompletedExceptionally()) {
                    continue;
                }
                if (client.mountBlob(to, digest, other.join())) {
                    ledger.placed(to, digest, BlobPlacement.MOUNTED, 0);
                    return BlobPlacement.MOUNTED;
                }
                continue;
            }
            try {
                // One request tells whether the target holds it already and otherwise opens the upload.
                BlobPlacement placement = client.copyBlobUnlessPresent(from, to, digest, blob.size())
                        ? BlobPlacement.COPIED : BlobPlacement.SKIPPED;
                ledger.placed(to, digest, placement, placement == BlobPlacement.COPIED ? blob.size() : 0);
                mine.complete(to);
                return placement;
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
                throw e;
            } finally {
                ledger.release(to.registry(), digest, mine);
            }
        }
    }

    private static RuntimeException firstFailure(List<Future<?>> running) {
        for (Future<?> future : running) {
            if (future.isDone()) {
                RuntimeException e = outcome(future);
                if (e != null) {
                    return e;
                }
            }
        }
        return null;
    }

    private static RuntimeException outcome(Future<?> future) {
        try {
            future.get();
            return null;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return cause instanceof RuntimeException r ? r
                    : new RegistryException("blob copy failed: " + cause, 0, null, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RegistryException("interrupted", 0, null, e);
        } catch (java.util.concurrent.CancellationException e) {
            return new RegistryException("cancelled", 0, null, e);
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
