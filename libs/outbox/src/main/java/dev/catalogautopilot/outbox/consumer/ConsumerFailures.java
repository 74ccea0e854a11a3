package dev.catalogautopilot.outbox.consumer;

import dev.catalogautopilot.events.EventDecodingException;

/**
 * Which failures of a consumed record are the record's fault. A record that cannot be decoded
 * ({@link EventDecodingException}) or is invalid ({@link IllegalArgumentException}, which the services throw for
 * events they cannot act on) fails the same way on every attempt: it goes to the dead-letter topic. So does an
 * {@link Error} such as {@code StackOverflowError}. Anything else (SQL connection errors, timeouts, Kafka
 * unavailable) is the infrastructure's, and is retried in place.
 */
public final class ConsumerFailures {

    private ConsumerFailures() {
    }

    /** True when {@code failure} is worth retrying: nothing in its cause chain says the record is at fault. */
    public static boolean retriable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof EventDecodingException || t instanceof IllegalArgumentException || t instanceof Error) {
                return false;
            }
        }
        return true;
    }
}
