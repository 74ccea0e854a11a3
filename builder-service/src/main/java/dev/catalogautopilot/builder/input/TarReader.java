package dev.catalogautopilot.builder.input;

import dev.catalogautopilot.builder.input.BadInputException.Kind;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads the regular files of a tar (gzip'd or not) into memory, within {@link InputLimits}. Entries with an absolute path
 * or a {@code ..} segment, and links whose target leaves the root, fail the read; links that stay inside it are
 * read as copies of their target, and each copy counts toward the unpacked total like the file it copies.
 *
 * <p>Three budgets apply: compressed bytes read, decompressed bytes read (below the tar reader, so entries it skips,
 * padding and headers count too), and unpacked files kept. GNU long-name and PAX headers are refused past
 * {@link InputLimits#MAX_EXTENDED_HEADER_BYTES} before the tar reader buffers them. The input is read to its end,
 * so a digest-verifying stream under it has checked every byte when {@link #read} returns.
 */
public final class TarReader {

    private final InputLimits limits;

    public TarReader(InputLimits limits) {
        this.limits = limits;
    }

    /**
     * The content of one layer or archive below {@code root} (empty for everything), keyed by path relative to
     * it. Whiteout entries ({@code .wh.*}) of an image layer are returned separately. A failure of the input stream
     * itself (a network error, a digest mismatch found at its end) is thrown as {@link UncheckedIOException}; bad
     * content as {@link BadInputException}.
     */
    public Contents read(InputStream gzipped, String root, String origin) {
        String prefix = root == null || root.isEmpty() ? "" : root + "/";
        Map<String, byte[]> files = new TreeMap<>();
        Map<String, String> links = new LinkedHashMap<>();
        List<String> whiteouts = new ArrayList<>();
        long total = 0;
        int entries = 0;
        Budget compressed = new Budget(gzipped, limits.maxArchiveBytes(), origin, "archive limit").source();
        try (TarArchiveInputStream tar = new HeaderBoundedTar(new Budget(decompressed(compressed),
                limits.maxDecompressedBytes(), origin, "decompressed limit"), origin)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (++entries > limits.maxEntries()) {
                    throw new BadInputException(Kind.TOO_LARGE, origin + " has more than " + limits.maxEntries()
                            + " entries");
                }
                String path = normalise(entry.getName(), origin);
                boolean inside = prefix.isEmpty() || path.startsWith(prefix);
                String relative = inside ? path.substring(prefix.length()) : null;
                if (entry.isSymbolicLink() || entry.isLink()) {
                    String target = linkTarget(entry, path, origin);
                    if (inside && !relative.isEmpty()) {
                        if (!prefix.isEmpty() && !target.startsWith(prefix)) {
                            throw escape(origin, path, entry.getLinkName());
                        }
                        links.put(relative, target.substring(prefix.length()));
                    }
                    continue;
                }
                if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                    throw new BadInputException(Kind.PATH_ESCAPE, origin + ": entry " + path
                            + " is a device or pipe, which a catalog never holds");
                }
                if (!entry.isFile() || !inside) {
                    continue;
                }
                String name = relative.substring(relative.lastIndexOf('/') + 1);
                if (name.startsWith(".wh.")) {
                    whiteouts.add(relative);
                    continue;
                }
                if (entry.getSize() > limits.maxDocumentBytes()) {
                    throw new BadInputException(Kind.TOO_LARGE, origin + ": " + path + " is " + entry.getSize()
                            + " bytes, over the document limit of " + limits.maxDocumentBytes() + " bytes");
                }
                total = addUnpacked(total, entry.getSize(), origin);
                files.put(relative, tar.readNBytes((int) entry.getSize()));
            }
            if (entries == 0) {
                throw new BadInputException(Kind.CORRUPT_ARCHIVE, origin + " holds no tar entries");
            }
            compressed.drain();
        } catch (BadInputException | UncheckedIOException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(Kind.CORRUPT_ARCHIVE, origin + " is not a readable tar.gz: "
                    + e.getMessage());
        }
        for (Map.Entry<String, String> link : links.entrySet()) {
            byte[] content = files.get(link.getValue());
            if (content != null) {
                total = addUnpacked(total, content.length, origin);
                files.put(link.getKey(), content);
            }
        }
        return new Contents(new TreeMap<>(files), List.copyOf(whiteouts));
    }

    private long addUnpacked(long total, long size, String origin) {
        long sum = total + size;
        if (sum > limits.maxArchiveBytes()) {
            throw new BadInputException(Kind.TOO_LARGE, origin + " unpacks to more than " + limits.maxArchiveBytes()
                    + " bytes (link copies included)");
        }
        return sum;
    }
    /** Gzip'd or plain tar, told apart by gzip's magic bytes (image layers come in both). */
    private static InputStream decompressed(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 65536);
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        buffered.reset();
        return first == 0x1f && second == 0x8b ? new GzipCompressorInputStream(buffered, true) : buffered;
    }

    /** A reader's result: regular files by relative path, and whiteout entries. */
    public record Contents(SortedMap<String, byte[]> files, List<String> whiteouts) {
    }

    private static String normalise(String name, String origin) {
        String path = name.replace('\\', '/');
        if (path.startsWith("/") || path.matches("^[A-Za-z]:.*")) {
            throw new BadInputException(Kind.PATH_ESCAPE, origin + ": entry " + name + " has an absolute path");
        }
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                throw new BadInputException(Kind.PATH_ESCAPE, origin + ": entry " + name + " leaves the archive root");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    /** The root-relative target of a link; a hard link names it from the root, a symlink from its directory. */
    private static String linkTarget(TarArchiveEntry entry, String path, String origin) {
        String target = entry.getLinkName().replace('\\', '/');
        if (target.startsWith("/")) {
            throw escape(origin, path, entry.getLinkName());
        }
        List<String> parts = new ArrayList<>();
        if (entry.isSymbolicLink() && path.contains("/")) {
            parts.addAll(List.of(path.substring(0, path.lastIndexOf('/')).split("/")));
        }
        for (String part : target.split("/")) {
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw escape(origin, path, entry.getLinkName());
                }
                parts.remove(parts.size() - 1);
            } else if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    private static BadInputException escape(String origin, String path, String target) {
        return new BadInputException(Kind.PATH_ESCAPE, origin + ": link " + path + " -> " + target
                + " points outside the archive root");
    }

    /** A tar reader that refuses long-name and PAX headers past their bound before buffering them. */
    private static final class HeaderBoundedTar extends TarArchiveInputStream {
        private final String origin;

        HeaderBoundedTar(InputStream in, String origin) {
            super(in);
            this.origin = origin;
        }

        @Override
        protected byte[] getLongNameData() throws IOException {
            checkHeader();
            return super.getLongNameData();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            TarArchiveEntry current = getCurrentEntry();
            if (current != null && (current.isPaxHeader() || current.isGlobalPaxHeader())) {
                checkHeader();
            }
            return super.read(buffer, offset, length);
        }

        private void checkHeader() {
            TarArchiveEntry header = getCurrentEntry();
            if (header != null && header.getSize() > InputLimits.MAX_EXTENDED_HEADER_BYTES) {
                throw new BadInputException(Kind.TOO_LARGE, origin + ": a long-name or PAX header declares "
                        + header.getSize() + " bytes, over the limit of " + InputLimits.MAX_EXTENDED_HEADER_BYTES
                        + " bytes");
            }
        }
    }

    /** Fails a read that goes past {@code max} bytes; skipped bytes are read, so they count too. */
    private static final class Budget extends FilterInputStream {
        private final long max;
        private final String origin;
        private final String limit;
        private long read;
        private boolean source;

        Budget(InputStream in, long max, String origin, String limit) {
            super(in);
            this.max = max;
            this.origin = origin;
            this.limit = limit;
        }

        /** Marks this budget as the one on the caller's stream, whose failures are not the content's fault. */
        Budget source() {
            this.source = true;
            return this;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = super.read(buffer, offset, length);
            } catch (IOException e) {
                if (source) {
                    throw new UncheckedIOException(e);
                }
                throw e;
            }
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
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

        /** Reads what is left, so a verifying stream below checks it, within the same budget. */
        void drain() throws IOException {
            byte[] buffer = new byte[65536];
            while (read(buffer, 0, buffer.length) >= 0) {
                // counted and discarded
            }
        }

        private void count(long n) {
            read += n;
            if (read > max) {
                throw new BadInputException(Kind.TOO_LARGE, origin + " is larger than the " + limit + " of "
                        + max + " bytes");
            }
        }
    }
}
