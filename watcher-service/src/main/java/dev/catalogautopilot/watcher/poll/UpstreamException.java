package dev.catalogautopilot.watcher.poll;

/**
 * An upstream that could not be read. Transient failures (429, 5xx, connection errors) are retried;
 * the others (bad JSON, 4xx, oversized or inconsistent answers) are reported at once.
 */
public final class UpstreamException extends RuntimeException {

    private final boolean transientFailure;

    private UpstreamException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public static UpstreamException transientFailure(String message, Throwable cause) {
        return new UpstreamException(message, true, cause);
    }

    public static UpstreamException badResponse(String message) {
        return new UpstreamException(message, false, null);
    }

    public static UpstreamException badResponse(String message, Throwable cause) {
        return new UpstreamException(message, false, cause);
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
