package dev.catalogautopilot.mirror.copy;

/** How a blob came to be in a target repository. */
public enum BlobPlacement {
    /** Its bytes were uploaded. */
    COPIED,
    /** It was linked from another repository of the same registry. */
    MOUNTED,
    /** It was already there. */
    SKIPPED
}
