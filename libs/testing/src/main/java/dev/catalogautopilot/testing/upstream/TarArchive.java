package dev.catalogautopilot.testing.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Builds a reproducible tar in the caller's entry order: ustar headers with mtime 0, uid/gid 0, fixed modes.
 * Its gzip form has no timestamp or name, so equal entries give equal bytes.
 */
final class TarArchive {

    private static final int BLOCK = 512;
    private static final int MAX_NAME = 100;
    private static final int MAX_PREFIX = 155;

    private final ByteArrayOutputStream tar = new ByteArrayOutputStream();
    private boolean finished;

    TarArchive directory(String path) {
        entry(path.endsWith("/") ? path : path + "/", '5', 0755, new byte[0]);
        return this;
    }

    TarArchive file(String path, byte[] content, int mode) {
        entry(path, '0', mode, content);
        return this;
    }

    TarArchive file(String path, byte[] content) {
        return file(path, content, 0644);
    }

    /** The uncompressed tar, ended by two zero blocks. */
    byte[] toTar() {
        if (!finished) {
            tar.writeBytes(new byte[2 * BLOCK]);
            finished = true;
        }
        return tar.toByteArray();
    }

    /** Gzip of {@link #toTar()}, compressed with zlib's default level. */
    byte[] toTarGzip() {
        return gzip(toTar(), true);
    }

    /**
     * Gzip of {@link #toTar()} in stored (uncompressed) deflate blocks: byte-identical on every machine whatever
     * the zlib version, and the honest choice for random content, which does not compress.
     */
    byte[] toStoredTarGzip() {
        return gzip(toTar(), false);
    }

    private void entry(String path, char type, int mode, byte[] content) {
        if (finished) {
            throw new IllegalStateException("Archive already finished");
        }
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = new byte[0];
        if (name.length > MAX_NAME) {
            int split = -1;
            for (int i = Math.min(MAX_PREFIX, name.length - 2); i > 0; i--) {
                if (name[i] == '/' && name.length - i - 1 <= MAX_NAME) {
                    split = i;
                    break;
                }
            }
            if (split < 0) {
                throw new IllegalArgumentException("Path too long for a ustar header: " + path);
            }
            prefix = Arrays.copyOfRange(name, 0, split);
            name = Arrays.copyOfRange(name, split + 1, name.length);
        }
        byte[] h = new byte[BLOCK];
        System.arraycopy(name, 0, h, 0, name.length);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, content.length);
        octal(h, 136, 12, 0);
        h[156] = (byte) type;
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        System.arraycopy(prefix, 0, h, 345, prefix.length);
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        tar.writeBytes(h);
        tar.writeBytes(content);
        tar.writeBytes(new byte[(BLOCK - content.length % BLOCK) % BLOCK]);
    }

    private static void octal(byte[] h, int offset, int width, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > width - 1) {
            throw new IllegalArgumentException("Value " + value + " does not fit a tar header field");
        }
        String padded = "0".repeat(width - 1 - digits.length()) + digits;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, h, offset, width - 1);
        h[offset + width - 1] = 0;
    }

    private static byte[] gzip(byte[] data, boolean compress) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / (compress ? 4 : 1) + 64);
        // ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=unknown
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
        if (compress) {
            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            try (DeflaterOutputStream deflate = new DeflaterOutputStream(out, deflater, 64 * 1024)) {
                deflate.write(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                deflater.end();
            }
        } else {
            int offset = 0;
            do {
                int length = Math.min(65_535, data.length - offset);
                boolean last = offset + length == data.length;
                out.write(last ? 1 : 0);
                out.write(length & 0xff);
                out.write(length >>> 8);
                out.write(~length & 0xff);
                out.write((~length >>> 8) & 0xff);
                out.write(data, offset, length);
                offset += length;
            } while (offset < data.length);
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        littleEndian(out, (int) crc.getValue());
        littleEndian(out, data.length);
        return out.toByteArray();
    }

    private static void littleEndian(ByteArrayOutputStream out, int value) {
        out.write(value & 0xff);
        out.write((value >>> 8) & 0xff);
        out.write((value >>> 16) & 0xff);
        out.write((value >>> 24) & 0xff);
    }
}
