package dev.catalogautopilot.builder.input;

import dev.catalogautopilot.builder.input.BadInputException.Kind;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * read as copies of their target.
 */
public final class TarReader {

    private final InputLimits limits;

    public TarReader(InputLimits limits) {
        this.limits = limits;
    }

    /**
     * The content of one layer or archive below {@code root} (empty for everything), keyed by path relative to
     * it. Whiteout entries ({@code .wh.*}) of an image layer are returned separately.
     */
    public Contents read(InputStream gzipped, String root, String origin) {
        String prefix = root == null || root.isEmpty() ? "" : root + "/";
        Map<String, byte[]> files = new TreeMap<>();
        Map<String, String> links = new LinkedHashMap<>();
        List<String> whiteouts = new ArrayList<>();
        long total = 0;
        int entries = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(decompressed(
                new Bounded(gzipped, limits.maxArchiveBytes(), origin)))) {
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
                total += entry.getSize();
                if (total > limits.maxArchiveBytes()) {
                    throw new BadInputException(Kind.TOO_LARGE, origin + " unpacks to more than "
                            + limits.maxArchiveBytes() + " bytes");
                }
                files.put(relative, tar.readNBytes((int) entry.getSize()));
            }
            if (entries == 0) {
                throw new BadInputException(Kind.CORRUPT_ARCHIVE, origin + " holds no tar entries");
            }
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(Kind.CORRUPT_ARCHIVE, origin + " is not a readable tar.gz: "
                    + e.getMessage());
        }
        links.forEach((link, target) -> {
            byte[] content = files.get(target);
            if (content != null) {
                files.put(link, content);
            }
        });
        return new Contents(new TreeMap<>(files), List.copyOf(whiteouts));
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

    /** Fails a read that goes past {@code max} compressed bytes. */
    private static final class Bounded extends FilterInputStream {
        private final long max;
        private final String origin;
        private long read;

        Bounded(InputStream in, long max, String origin) {
            super(in);
            this.max = max;
            this.origin = origin;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(long n) {
            read += n;
            if (read > max) {
                throw new BadInputException(Kind.TOO_LARGE, origin + " is larger than the archive limit of "
                        + max + " bytes");
            }
        }
    }
}
