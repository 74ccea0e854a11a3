package dev.catalogautopilot.events;

/**
 * The one size limit of the pipeline: an event's serialized data is at most {@link #MAX_PAYLOAD_BYTES} (1 MiB).
 * Kafka is configured around it, everywhere with the same figure {@link #MAX_RECORD_BYTES}: the topics'
 * {@code max.message.bytes}, the broker's {@code message.max.bytes}, the producers' {@code max.request.size} and
 * the consumers' {@code max.partition.fetch.bytes}. The difference, {@link #HEADER_HEADROOM_BYTES}, leaves room for
 * the key, the CloudEvents headers and the headers a dead-letter topic adds. Larger content goes by reference.
 */
public final class EventSizeLimit {

    /** Largest serialized event data (the Kafka record value) any service may publish: 1 MiB. */
    public static final int MAX_PAYLOAD_BYTES = 1024 * 1024;

    /** Room above the payload for the record key, headers and Kafka's batch overhead: 64 KiB. */
    public static final int HEADER_HEADROOM_BYTES = 64 * 1024;

    /** Largest Kafka record batch the pipeline's topics accept and its clients send or fetch: 1,114,112 bytes. */
    public static final int MAX_RECORD_BYTES = MAX_PAYLOAD_BYTES + HEADER_HEADROOM_BYTES;

    private EventSizeLimit() {
    }

    /**
     * Refuses an event whose serialized data is larger than {@link #MAX_PAYLOAD_BYTES}, where it is made: Kafka would
     * refuse it for good later, after its state change had committed.
     *
     * @throws EventTooLargeException if {@code payloadBytes} exceeds the limit
     */
    public static void check(String type, String id, long payloadBytes) {
        if (payloadBytes > MAX_PAYLOAD_BYTES) {
            throw new EventTooLargeException(type, id, payloadBytes);
        }
    }

    /** An event over the limit; an invalid input, so a consumer that makes one dead-letters its cause. */
    public static final class EventTooLargeException extends IllegalArgumentException {

        private final long payloadBytes;

        EventTooLargeException(String type, String id, long payloadBytes) {
            super("event " + id + " (" + type + ") has " + payloadBytes + " bytes of data, more than the limit of "
                    + MAX_PAYLOAD_BYTES + " bytes (1 MiB); large content must go by reference");
            this.payloadBytes = payloadBytes;
        }

        public long payloadBytes() {
            return payloadBytes;
        }
    }
}
