package dev.catalogautopilot.testing.cluster;

import java.util.List;
import java.util.Objects;

/**
 * One entry of an ImageContentSourcePolicy ({@code repositoryDigestMirrors}) or an ImageDigestMirrorSet
 * ({@code imageDigestMirrors}): pulls by digest of {@code source} go to {@code mirrors}.
 */
public record MirrorRule(String source, List<String> mirrors) {

    public MirrorRule {
        Objects.requireNonNull(source, "source");
        mirrors = List.copyOf(mirrors);
    }
}
