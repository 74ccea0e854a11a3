package dev.catalogautopilot.builder.input;

/**
 * Bounds on upstream content, so a hostile or broken upstream costs a clear error instead of memory or disk.
 *
 * @param maxArchiveBytes      largest compressed archive or layer read, and largest total of its unpacked files
 *                             (link copies included)
 * @param maxDocumentBytes     largest single file, and so largest YAML or JSON document, aliases expanded
 * @param maxEntries           most entries in one archive or layer
 * @param maxYamlAliases       most YAML aliases to collections in one file (an alias bomb exceeds it at once)
 * @param maxNestingDepth      deepest YAML or JSON nesting
 * @param maxDecompressedBytes most bytes decompressed from one archive or layer, skipped entries and headers included
 */
public record InputLimits(long maxArchiveBytes, int maxDocumentBytes, int maxEntries, int maxYamlAliases,
        int maxNestingDepth, long maxDecompressedBytes) {

    /** Largest GNU long-name or PAX extended header; real ones hold a path or two. */
    public static final int MAX_EXTENDED_HEADER_BYTES = 1024 * 1024;

    /** The defaults documented in docs/configuration.md. */
    public static final InputLimits DEFAULT = new InputLimits(256L * 1024 * 1024, 8 * 1024 * 1024, 20_000, 50, 100,
            1024L * 1024 * 1024);

    /** Limits whose decompressed budget is four times the archive limit. */
    public InputLimits(long maxArchiveBytes, int maxDocumentBytes, int maxEntries, int maxYamlAliases,
            int maxNestingDepth) {
        this(maxArchiveBytes, maxDocumentBytes, maxEntries, maxYamlAliases, maxNestingDepth, 4 * maxArchiveBytes);
    }
}
