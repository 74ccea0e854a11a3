package dev.catalogautopilot.testing.upstream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads the entries of a (gzip'd) tar, independently of the writer under test. */
record TarEntries(List<Entry> entries) {

    record Entry(String name, char type, long mtime, int mode, byte[] content) {
    }

    static TarEntries ofGzip(byte[] gzip) throws IOException {
        return of(new GZIPInputStream(new ByteArrayInputStream(gzip)).readAllBytes());
    }

    static TarEntries of(byte[] tar) {
        List<Entry> entries = new ArrayList<>();
        int pos = 0;
        while (pos + 512 <= tar.length && tar[pos] != 0) {
            byte[] h = Arrays.copyOfRange(tar, pos, pos + 512);
            String name = string(h, 0, 100);
            String prefix = string(h, 345, 155);
            long size = octal(h, 124, 12);
            long mtime = octal(h, 136, 12);
            int mode = (int) octal(h, 100, 8);
            byte[] content = Arrays.copyOfRange(tar, pos + 512, pos + 512 + (int) size);
            entries.add(new Entry(prefix.isEmpty() ? name : prefix + "/" + name, (char) h[156], mtime, mode, content));
            pos += 512 + (int) ((size + 511) / 512 * 512);
        }
        return new TarEntries(entries);
    }

    List<String> names() {
        return entries.stream().map(Entry::name).toList();
    }

    private static String string(byte[] h, int offset, int length) {
        int end = offset;
        while (end < offset + length && h[end] != 0) {
            end++;
        }
        return new String(h, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int offset, int length) {
        String s = string(h, offset, length).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }
}
