package dev.catalogautopilot.events;

import dev.catalogautopilot.events.mirror.MirrorJobRequested;

/**
 * The Kafka record key of every event: the catalog name, except on {@link Topics#MIRROR_JOBS} where the source
 * repository (for example {@code quay.io/strimzi/operator}) keys each job.
 *
 * <p>Dead-letter topics keep the key of the record they hold.
 */
public final class TopicKeys {

    private TopicKeys() {
    }

    /** The key to publish {@code data} with, on the topic its type belongs to ({@link EventType#topic()}). */
    public static String keyOf(EventData data) {
        if (data instanceof MirrorJobRequested job) {
            return repositoryOf(job.source());
        }
        return data.catalog();
    }

    /**
     * The repository of an image reference, without tag or digest: {@code quay.io/strimzi/operator@sha256:…} and
     * {@code quay.io/strimzi/operator:0.24.0} both give {@code quay.io/strimzi/operator}. A registry port
     * ({@code localhost:5000/x}) is kept.
     */
    public static String repositoryOf(String imageReference) {
        String reference = imageReference.strip();
        int at = reference.indexOf('@');
        if (at >= 0) {
            reference = reference.substring(0, at);
        }
        int colon = reference.lastIndexOf(':');
        if (colon > reference.lastIndexOf('/')) {
            reference = reference.substring(0, colon);
        }
        if (reference.isEmpty()) {
            throw new IllegalArgumentException("not an image reference: '" + imageReference + "'");
        }
        return reference;
    }
}
