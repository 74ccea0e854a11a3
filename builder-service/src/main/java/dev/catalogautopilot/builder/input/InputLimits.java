package dev.catalogautopilot.builder.input;

/**
 * Bounds on upstream content, so a hostile or broken upstream costs a clear error instead of memory or disk.
 *
 * @param maxArchiveBytes  largest compressed archive or layer read, and largest total of its unpacked files
 * @param maxDocumentBytes largest single file, and so largest YAML or JSON document
 * @param maxEntries       most entries in one archive or layer
 * @param maxYamlAliases   most YAML aliases to collections in one file (an alias bomb exceeds it at once)
 * @param maxNestingDepth  deepest YAML or JSON nesting
 */
public record InputLimits(long maxArchiveBytes, int maxDocumentBytes, int maxEntries, int maxYamlAliases,
        int maxNestingDepth) {

    /** The defaults documented in docs/configuration.md. */
    public static final InputLimits DEFAULT = new InputLimits(256L * 1024 * 1024, 8 * 1024 * 1024, 20_000, 50, 100);
}
