package dev.catalogautopilot.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest, always {@code sha256:} plus 64 lowercase hex characters, safe to put into URLs and paths. */
public record Digest(String value) {

    private static final String PREFIX = "sha256:";
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    /** Rejects anything but a strict sha256 digest, so a hostile value never reaches a URL or a file path. */
    public Digest {
        if (value == null || !SHA256.matcher(value).matches()) {
            throw new IllegalArgumentException("Invalid digest '" + abbreviate(value)
                    + "': expected 'sha256:' followed by 64 lowercase hex characters");
        }
    }

    /** Parses a digest string such as {@code sha256:0123…}. */
    public static Digest parse(String value) {
        return new Digest(value);
    }

    /** Whether {@code value} is a strict sha256 digest. */
    public static boolean isValid(String value) {
        return value != null && SHA256.matcher(value).matches();
    }

    /** The sha256 digest of {@code bytes}. */
    public static Digest sha256(byte[] bytes) {
        return fromHash(newSha256().digest(bytes));
    }

    /** Wraps a raw 32-byte sha256 hash. */
    static Digest fromHash(byte[] hash) {
        return new Digest(PREFIX + HexFormat.of().formatHex(hash));
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** The 64 hex characters after {@code sha256:}. */
    public String hex() {
        return value.substring(PREFIX.length());
    }

    /** Always {@code sha256}. */
    public String algorithm() {
        return "sha256";
    }

    @Override
    public String toString() {
        return value;
    }

    private static String abbreviate(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() > 80 ? value.substring(0, 80) + "…" : value;
    }
}
