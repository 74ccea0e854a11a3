package dev.catalogautopilot.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Computes the sha256 of everything read through it; with an expected digest it fails the read that hits
 * EOF when the content does not match, so a consumer never mistakes corrupt bytes for a complete blob.
 */
public final class DigestingInputStream extends FilterInputStream {

    private final MessageDigest sha256 = Digest.newSha256();
    private final Digest expected;
    private long bytesRead;
    private Digest actual;

    /** Digests {@code in}; {@code expected} may be null to only compute the digest. */
    public DigestingInputStream(InputStream in, Digest expected) {
        super(in);
        this.expected = expected;
    }

    /** Digests {@code in} without verifying it. */
    public DigestingInputStream(InputStream in) {
        this(in, null);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            finish();
        } else {
            sha256.update((byte) b);
            bytesRead++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n < 0) {
            finish();
        } else if (n > 0) {
            sha256.update(buffer, offset, n);
            bytesRead += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must still be digested.
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // Not supported: re-reading would corrupt the digest.
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    /** Whether the stream has been read to EOF. */
    public boolean isComplete() {
        return actual != null;
    }

    /** The digest of the whole content; only available after EOF. */
    public Digest digest() {
        if (actual == null) {
            throw new IllegalStateException("Stream not read to EOF yet");
        }
        return actual;
    }

    /** Whether the content read so far (to EOF) matches the expected digest. */
    public boolean matches() {
        return expected != null && digest().equals(expected);
    }

    /** Number of bytes read so far. */
    public long bytesRead() {
        return bytesRead;
    }

    /** The digest the content must have, or null. */
    public Digest expected() {
        return expected;
    }

    private void finish() throws IOException {
        if (actual == null) {
            actual = Digest.fromHash(sha256.digest());
        }
        if (expected != null && !actual.equals(expected)) {
            throw new DigestMismatchException(expected, actual, bytesRead);
        }
    }

    /** Thrown at EOF when the content's digest differs from the expected one. */
    public static final class DigestMismatchException extends IOException {
        private final Digest expected;
        private final Digest actual;

        DigestMismatchException(Digest expected, Digest actual, long size) {
            super("Digest mismatch: expected " + expected + " but content (" + size + " bytes) has " + actual);
            this.expected = expected;
            this.actual = actual;
        }

        public Digest expected() {
            return expected;
        }

        public Digest actual() {
            return actual;
        }
    }
}
