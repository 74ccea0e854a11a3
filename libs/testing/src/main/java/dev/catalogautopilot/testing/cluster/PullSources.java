package dev.catalogautopilot.testing.cluster;

import dev.catalogautopilot.registry.ImageReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a simulated node pulls an image from. The simulated clusters are disconnected: an image a mirror rule
 * covers is pulled only from that rule's mirrors, in order; any other image from where it names.
 */
public final class PullSources {

    private PullSources() {
    }

    /** The references a node tries for {@code image}, in order. */
    public static List<ImageReference> candidates(ImageReference image, List<MirrorRule> rules) {
        String name = image.name();
        String reference = image.digest() != null ? "@" + image.digest() : ":" + image.tag();
        List<ImageReference> candidates = new ArrayList<>();
        for (MirrorRule rule : rules) {
            if (name.equals(rule.source()) || name.startsWith(rule.source() + "/")) {
                String rest = name.substring(rule.source().length());
                for (String mirror : rule.mirrors()) {
                    candidates.add(ImageReference.parse(mirror + rest + reference));
                }
            }
        }
        return candidates.isEmpty() ? List.of(image) : List.copyOf(candidates);
    }
}
