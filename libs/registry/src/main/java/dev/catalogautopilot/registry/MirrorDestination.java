package dev.catalogautopilot.registry;

import java.util.Arrays;
import java.util.List;

/**
 * A mirror destination as {@code oc adm catalog mirror} takes it, {@code registry[/prefix]}, and the one rule of
 * what lies under it. When the prefix is as deep as the target repositories' component cap, the mirror joins its
 * deepest components with the source path by {@code -} ({@code team/olm} with a cap of 2 gives
 * {@code team/olm-<source>}), so "under" depends on the cap.
 *
 * @param registry canonical registry host, with port if any
 * @param prefix   path below the registry, possibly empty, without leading or trailing slashes
 */
public record MirrorDestination(String registry, String prefix) {

    public MirrorDestination {
        if (registry == null || registry.isBlank()) {
            throw new IllegalArgumentException("a mirror destination names a registry");
        }
        registry = ImageReference.canonicalRegistry(registry);
        prefix = prefix == null ? "" : prefix.strip().replaceAll("^/+|/+$", "");
    }

    /** Parses {@code registry[/prefix/...]}. */
    public static MirrorDestination parse(String destination) {
        String dest = destination.strip().replaceAll("/+$", "");
        int slash = dest.indexOf('/');
        return slash < 0 ? new MirrorDestination(dest, "")
                : new MirrorDestination(dest.substring(0, slash), dest.substring(slash + 1));
    }

    /** Whether {@code target} lies under the destination for repositories capped at {@code maxComponents} (0: none). */
    public boolean covers(ImageReference target, int maxComponents) {
        if (!ImageReference.canonicalRegistry(target.registry()).equals(registry)) {
            return false;
        }
        if (prefix.isEmpty()) {
            return true;
        }
        List<String> components = Arrays.asList(prefix.split("/"));
        if (maxComponents == 0 || components.size() < maxComponents) {
            return target.repository().startsWith(prefix + "/");
        }
        // A prefix as deep as the cap has its deepest components joined with the source path by '-'.
        String kept = String.join("/", components.subList(0, maxComponents - 1));
        String joined = String.join("-", components.subList(maxComponents - 1, components.size())) + "-";
        return target.repository().startsWith(kept.isEmpty() ? joined : kept + "/" + joined);
    }

    /**
     * Whether {@code target} lies under the destination for some cap: for a reader that does not know the mirror's
     * cap (rollout-service), this accepts exactly the targets the mirror could name under any cap.
     */
    public boolean coversUnderSomeCap(ImageReference target) {
        int depth = prefix.isEmpty() ? 0 : prefix.split("/").length;
        for (int cap = 0; cap <= depth; cap++) {
            if (covers(target, cap)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return prefix.isEmpty() ? registry : registry + "/" + prefix;
    }
}
