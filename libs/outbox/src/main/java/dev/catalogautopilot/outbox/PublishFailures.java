package dev.catalogautopilot.outbox;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.InvalidRecordException;

/**
 * Tells a send that Kafka refused for good from one worth retrying. Refused for good means the same record would be
 * refused again whatever the broker's state: too large, invalid, unserializable, or for an invalid topic name. The
 * relay parks such an event. Everything else (broker unavailable, timeouts, leader changes, authorization until an
 * operator fixes the ACLs) is retried in order.
 */
public final class PublishFailures {

    private static final Set<Class<? extends Throwable>> PERMANENT = Set.of(RecordTooLargeException.class,
            RecordBatchTooLargeException.class, InvalidRecordException.class, SerializationException.class,
            InvalidTopicException.class);

    private PublishFailures() {
    }

    /** The reason to park the event whose send failed with {@code failure}, or empty if the send should be retried. */
    public static Optional<String> permanentReason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Class<? extends Throwable> permanent : PERMANENT) {
                if (permanent.isInstance(t)) {
                    return Optional.of(t.getClass().getSimpleName() + ": " + t.getMessage());
                }
            }
        }
        return Optional.empty();
    }
}
