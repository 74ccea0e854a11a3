package dev.catalogautopilot.mirror.copy;

import dev.catalogautopilot.events.mirror.MirrorStats;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What one image copy has done so far; blob tasks of the copy update it concurrently. */
final class CopyCounters {

    private final AtomicLong bytesCopied = new AtomicLong();
    private final AtomicInteger blobsCopied = new AtomicInteger();
    private final AtomicInteger blobsSkipped = new AtomicInteger();
    private final AtomicInteger blobsMounted = new AtomicInteger();
    private final AtomicInteger manifests = new AtomicInteger();

    void blob(BlobPlacement how, long bytes) {
        switch (how) {
            case COPIED -> {
                blobsCopied.incrementAndGet();
                bytesCopied.addAndGet(bytes);
            }
            case MOUNTED -> blobsMounted.incrementAndGet();
            case SKIPPED -> blobsSkipped.incrementAndGet();
        }
    }

    void manifest() {
        manifests.incrementAndGet();
    }

    MirrorStats toStats(long durationMillis) {
        return new MirrorStats(bytesCopied.get(), blobsCopied.get(), blobsSkipped.get(), blobsMounted.get(),
                manifests.get(), durationMillis);
    }
}
