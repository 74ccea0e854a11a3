package dev.catalogautopilot.mirror.plan;

import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.MirrorDestination;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where {@code oc adm catalog mirror} puts an image: {@code <registry>[/<prefix>]/<source path>}, where the prefix
 * and source path components together are capped at {@code maxComponents} (0 = unlimited) by joining the deepest
 * ones with {@code -}; the source tag is kept, and a digest-only source gets its digest's hex as tag so that the
 * registry never garbage-collects it.
 *
 * @param registry      destination registry host, with port if any
 * @param prefix        destination path below the registry, possibly empty
 * @param maxComponents most path components a target repository may have; 0 means unlimited
 */
public record TargetNaming(String registry, String prefix, int maxComponents) {

    public TargetNaming {
        Objects.requireNonNull(registry, "registry");
        prefix = prefix == null ? "" : prefix.strip().replaceAll("^/+|/+$", "");
        if (maxComponents < 0) {
            throw new IllegalArgumentException("maxComponents must be >= 0, 0 meaning unlimited");
        }
    }

    /** Parses a destination as {@code oc} takes it: {@code registry[/prefix/...]}. */
    public static TargetNaming of(String destination, int maxComponents) {
        String dest = destination.strip().replaceAll("/+$", "");
        int slash = dest.indexOf('/');
        return slash < 0 ? new TargetNaming(dest, "", maxComponents)
                : new TargetNaming(dest.substring(0, slash), dest.substring(slash + 1), maxComponents);
    }

    /**
     * Whether {@code target} lies under the destination, as every {@link #targetOf} does: the mirror writes nowhere
     * else, whatever a job's row or request says.
     */
    public boolean covers(ImageReference target) {
        return new MirrorDestination(registry, prefix).covers(target, maxComponents);
    }

    /**
     * The target of {@code source}.
     *
     * @throws IllegalArgumentException when the target would have fewer than two path components (oc refuses it)
     */
    public ImageReference targetOf(ImageReference source) {
        List<String> components = new ArrayList<>();
        if (!prefix.isEmpty()) {
            components.addAll(Arrays.asList(prefix.split("/")));
        }
        components.addAll(Arrays.asList(source.repository().split("/")));
        if (components.size() < 2) {
            throw new IllegalArgumentException("cannot mirror " + source + ": the target repository would have fewer"
                    + " than two path components");
        }
        String repository;
        if (maxComponents == 0 || components.size() <= maxComponents) {
            repository = String.join("/", components);
        } else {
            List<String> kept = new ArrayList<>(components.subList(0, maxComponents - 1));
            kept.add(String.join("-", components.subList(maxComponents - 1, components.size())));
            repository = String.join("/", kept);
        }
        String tag = source.tag() != null ? source.tag() : source.digest().hex();
        return ImageReference.of(registry, repository, tag);
    }
}
