package dev.catalogautopilot.events.mirror;

/**
 * What copying cost: for one job, or summed over a plan.
 *
 * @param bytesCopied    blob bytes uploaded to the target
 * @param blobsCopied    blobs uploaded
 * @param blobsSkipped   blobs the target already had in the same repository
 * @param blobsMounted   blobs mounted from another repository of the target registry
 * @param manifests      manifests (and indexes) written
 * @param durationMillis wall time of the job; for a sum, total worker time, not elapsed time
 */
public record MirrorStats(
        long bytesCopied,
        int blobsCopied,
        int blobsSkipped,
        int blobsMounted,
        int manifests,
        long durationMillis) {

    /** Nothing copied. */
    public static final MirrorStats ZERO = new MirrorStats(0, 0, 0, 0, 0, 0);

    /** The field-by-field sum, for plan totals. */
    public MirrorStats plus(MirrorStats other) {
        return new MirrorStats(
                bytesCopied + other.bytesCopied,
                blobsCopied + other.blobsCopied,
                blobsSkipped + other.blobsSkipped,
                blobsMounted + other.blobsMounted,
                manifests + other.manifests,
                durationMillis + other.durationMillis);
    }
}
