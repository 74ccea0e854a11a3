package dev.catalogautopilot.testing.appregistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes a reproducible tar.gz: entries in the caller's order, ustar headers with mtime 0, uid/gid 0, no owner
 * names, fixed modes, and a gzip header without timestamp or file name. Equal input gives equal bytes.
 */
final class TarGzWriter {

    private static final int BLOCK = 512;
    private static final int RECORD = 20 * BLOCK;
    private static final int FILE_MODE = 0644;
    private static final int DIR_MODE = 0755;
    /** ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=unknown. */
    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final ByteArrayOutputStream tar = new ByteArrayOutputStream();

    TarGzWriter directory(String path) {
        String name = path.endsWith("/") ? path : path + "/";
        writeEntry(name, '5', DIR_MODE, new byte[0]);
        return this;
    }

    TarGzWriter file(String path, byte[] content) {
        writeEntry(path, '0', FILE_MODE, content);
        return this;
    }

    /** Ends the archive and returns the gzip-compressed bytes. */
    byte[] finish() {
        tar.writeBytes(new byte[2 * BLOCK]);
        int padding = (RECORD - tar.size() % RECORD) % RECORD;
        tar.writeBytes(new byte[padding]);
        return gzip(tar.toByteArray());
    }

    private void writeEntry(String path, char type, int mode, byte[] content) {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        int split = splitPoint(name);
        if (split < 0) {
            // Neither the name field nor the ustar prefix split can hold it: say it in a PAX record instead.
            byte[] record = paxRecord("path", path);
            tar.writeBytes(header(truncate("PaxHeaders/" + lastSegment(path), 100), new byte[0], 'x', FILE_MODE,
                    record.length));
            writePadded(record);
            tar.writeBytes(header(truncate(lastSegment(path), 100), new byte[0], type, mode, content.length));
        } else if (split == 0) {
            tar.writeBytes(header(name, new byte[0], type, mode, content.length));
        } else {
            byte[] prefix = Arrays.copyOfRange(name, 0, split);
            byte[] rest = Arrays.copyOfRange(name, split + 1, name.length);
            tar.writeBytes(header(rest, prefix, type, mode, content.length));
        }
        writePadded(content);
    }

    /** 0 when the name fits as is, the index of the separating '/' for a ustar prefix split, or -1. */
    private static int splitPoint(byte[] name) {
        if (name.length <= 100 && isPrintableAscii(name)) {
            return 0;
        }
        if (!isPrintableAscii(name)) {
            return -1;
        }
        // A trailing '/' of a directory belongs to the name part, so search before it.
        for (int i = Math.min(155, name.length - 2); i > 0; i--) {
            if (name[i] == '/' && name.length - i - 1 <= 100) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] header(byte[] name, byte[] prefix, char type, int mode, long size) {
        byte[] h = new byte[BLOCK];
        System.arraycopy(name, 0, h, 0, name.length);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 0);
        h[156] = (byte) type;
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        octal(h, 329, 8, 0);
        octal(h, 337, 8, 0);
        System.arraycopy(prefix, 0, h, 345, prefix.length);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String checksum = String.format("%06o", sum);
        System.arraycopy(checksum.getBytes(StandardCharsets.US_ASCII), 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    /** Writes {@code value} as zero-padded octal digits and a terminating NUL into a field of {@code width}. */
    private static void octal(byte[] h, int offset, int width, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > width - 1) {
            throw new IllegalArgumentException("Value " + value + " does not fit a tar header field");
        }
        String padded = "0".repeat(width - 1 - digits.length()) + digits;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, h, offset, width - 1);
        h[offset + width - 1] = 0;
    }

    private static byte[] paxRecord(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int bodyLength = body.getBytes(StandardCharsets.UTF_8).length;
        int length = bodyLength + 1;
        while (String.valueOf(length).length() + bodyLength != length) {
            length = String.valueOf(length).length() + bodyLength;
        }
        return (length + body).getBytes(StandardCharsets.UTF_8);
    }

    private void writePadded(byte[] content) {
        tar.writeBytes(content);
        int padding = (BLOCK - content.length % BLOCK) % BLOCK;
        tar.writeBytes(new byte[padding]);
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
        out.writeBytes(GZIP_HEADER);
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(out, deflater, 64 * 1024)) {
            deflate.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        writeIntLittleEndian(out, (int) crc.getValue());
        writeIntLittleEndian(out, data.length);
        return out.toByteArray();
    }

    private static void writeIntLittleEndian(ByteArrayOutputStream out, int value) {
        out.write(value & 0xff);
        out.write((value >>> 8) & 0xff);
        out.write((value >>> 16) & 0xff);
        out.write((value >>> 24) & 0xff);
    }

    private static boolean isPrintableAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0x20) {
                return false;
            }
        }
        return true;
    }

    private static String lastSegment(String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static byte[] truncate(String text, int max) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= max ? bytes : Arrays.copyOf(bytes, max);
    }
}
