package dev.catalogautopilot.rollout.mirrorset;

import java.util.List;
import java.util.Objects;

/**
 * Pulls by digest of {@code source} go to {@code mirrors}, in order.
 *
 * @param source             repository or namespace prefix, e.g. {@code quay.io/strimzi}
 * @param mirrors            where to pull from instead
 * @param mirrorSourcePolicy IDMS only: {@code NeverContactSource} or {@code AllowContactingSource}; null for the default
 */
public record MirrorEntry(String source, List<String> mirrors, String mirrorSourcePolicy) {

    public MirrorEntry {
        Objects.requireNonNull(source, "source");
        mirrors = List.copyOf(mirrors);
    }
}
