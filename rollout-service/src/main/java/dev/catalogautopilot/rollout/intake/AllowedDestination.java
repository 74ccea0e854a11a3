package dev.catalogautopilot.rollout.intake;

import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.MirrorDestination;
import java.util.Optional;

/**
 * The mirror registry and path the service rolls catalogs out from, as the mirror-service's
 * {@code mirror.destination} names it ({@code registry[/prefix]}). A catalog-mirrored event naming a catalog image
 * or content anywhere else is refused before anything is read or changed: events say what changed, never where
 * clusters pull from.
 *
 * @param registry canonical registry host, with port if any
 * @param prefix   path below the registry every image lies under, possibly empty
 */
public record AllowedDestination(String registry, String prefix) {

    /** Parses {@code registry[/prefix]}. */
    public static AllowedDestination parse(String destination) {
        String dest = destination.strip().replaceAll("/+$", "");
        int slash = dest.indexOf('/');
        String registry = slash < 0 ? dest : dest.substring(0, slash);
        String prefix = slash < 0 ? "" : dest.substring(slash + 1).replaceAll("^/+", "");
        if (registry.isEmpty()) {
            throw new IllegalArgumentException("rollout.mirror-destination: '" + destination + "' names no registry");
        }
        ImageReference.parse(registry + "/" + (prefix.isEmpty() ? "x" : prefix + "/x") + ":check");
        return new AllowedDestination(ImageReference.canonicalRegistry(registry), prefix);
    }

    /** Why {@code reference} (an image or a content blob) is refused, or empty when it lies under the destination. */
    public Optional<String> refusal(String what, String reference) {
        ImageReference image;
        try {
            image = ImageReference.parse(reference);
        } catch (IllegalArgumentException e) {
            return Optional.of(what + " " + reference + " is not an image reference: " + e.getMessage());
        }
        // The mirror's component cap is its own setting: accept what it could name under any cap.
        boolean under = new MirrorDestination(registry, prefix).coversUnderSomeCap(image);
        return under ? Optional.empty() : Optional.of(what + " " + reference + " is outside the mirror destination "
                + this + " (rollout.mirror-destination)");
    }

    @Override
    public String toString() {
        return prefix.isEmpty() ? registry : registry + "/" + prefix;
    }
}
