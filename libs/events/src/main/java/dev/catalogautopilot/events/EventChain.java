package dev.catalogautopilot.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Tamper evidence for the audit log. Each producer chains its events per catalog: an event's {@code chainhash}
 * extension is a sha256 over the previous event's chain hash and this event's attributes and exact data bytes, and
 * its {@code chainprev} extension names the previous event. Altering, removing or reordering an event breaks the
 * chain at that event.
 */
public final class EventChain {

    /** CloudEvents extension holding the chain hash ({@code ce_chainhash} on Kafka). */
    public static final String HASH = "chainhash";
    /** CloudEvents extension naming the previous event of the chain ({@code ce_chainprev}); absent on the first. */
    public static final String PREVIOUS = "chainprev";

    private EventChain() {
    }

    /**
     * @param previousHash the chain hash of the previous event of the same producer and catalog, null for the first
     * @param data         the exact bytes of the event's data as published
     */
    public static String hash(String previousHash, String id, String type, String source, String subject,
            Instant time, String correlationId, String causationId, byte[] data) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {previousHash, id, type, source, subject,
                    time == null ? null : time.toString(), correlationId, causationId}) {
                update(sha, part == null ? new byte[0] : part.getBytes(StandardCharsets.UTF_8), part == null);
            }
            update(sha, data, false);
            return "sha256:" + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Length-prefixed, so no two different field lists hash alike. */
    private static void update(MessageDigest sha, byte[] bytes, boolean absent) {
        int length = absent ? -1 : bytes.length;
        sha.update(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
        sha.update(bytes);
    }
}
