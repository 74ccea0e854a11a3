package dev.catalogautopilot.builder.build;

/** A failure worth retrying: an upstream or registry that was unreachable or answered 429 or 5xx. */
public class TransientFailure extends RuntimeException {

    public TransientFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
