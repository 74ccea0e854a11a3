package dev.catalogautopilot.mirror.rest;

/** One image of a plan as the status API shows it. */
public record JobView(String source, String target, String state, int attempts, String worker, String digest,
                      String error, long bytesCopied, int blobsCopied, int blobsSkipped, int blobsMounted,
                      int manifests, long durationMillis) {
}
