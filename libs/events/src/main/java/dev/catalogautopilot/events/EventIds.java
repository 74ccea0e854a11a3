package dev.catalogautopilot.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.UUID;

/**
 * Event ids. An event caused by another gets a name-based UUID (version 5, RFC 9562) over the cause's id, its own
 * type and an optional discriminator, so redelivery and replay produce the same id and consumers can deduplicate
 * on {@code ce_id}. Changing {@link #NAMESPACE} or the name layout changes every id: never do it.
 */
public final class EventIds {

    /** Namespace of every derived id. */
    public static final UUID NAMESPACE = UUID.fromString("715ca94a-82ed-466f-a9e5-bd78b8e2b7e2");

    private EventIds() {
    }

    /** A random id, for an event that has no cause and no natural origin key. */
    public static String random() {
        return UUID.randomUUID().toString();
    }

    /** The id of the only event of {@code type} that the event {@code causeId} causes. */
    public static String derive(String causeId, String type) {
        return nameBased(NAMESPACE, name("caused-by", causeId, type)).toString();
    }

    /**
     * The id of one of several events of {@code type} that the event {@code causeId} causes, told apart by
     * {@code discriminator}, e.g. a source image or a cluster name.
     */
    public static String derive(String causeId, String type, String discriminator) {
        requireText(discriminator, "discriminator");
        return nameBased(NAMESPACE, name("caused-by", causeId, type, discriminator)).toString();
    }

    /**
     * The id of an event that starts a pipeline run, derived from what the producer observed ({@code originKey},
     * e.g. the upstream revision) so that publishing the same observation twice gives the same id.
     */
    public static String origin(String type, String subject, String originKey) {
        return nameBased(NAMESPACE, name("origin", type, subject, originKey)).toString();
    }

    /** A version 5 (SHA-1, name-based) UUID of {@code name} in {@code namespace}. */
    public static UUID nameBased(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-1", e);
        }
        sha1.update(ByteBuffer.allocate(16)
                .putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits())
                .array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bytes.getLong(), bytes.getLong());
    }

    // Length-prefixed parts: no choice of values can make two different part lists collide.
    private static String name(String kind, String... parts) {
        StringBuilder name = new StringBuilder(kind);
        for (String part : parts) {
            requireText(part, "id part");
            name.append('|').append(part.length()).append(':').append(part);
        }
        return name.toString();
    }

    private static void requireText(String value, String what) {
        if (Objects.requireNonNull(value, what).isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }
}
