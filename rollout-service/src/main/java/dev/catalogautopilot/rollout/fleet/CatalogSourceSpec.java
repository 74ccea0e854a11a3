package dev.catalogautopilot.rollout.fleet;

import dev.catalogautopilot.rollout.mirrorset.MirrorSetChoice;
import java.util.Objects;

/**
 * Where and how a catalog is served on every cluster.
 *
 * @param namespace   CatalogSource namespace
 * @param name        CatalogSource name
 * @param displayName {@code spec.displayName} of a CatalogSource the service creates
 * @param publisher   {@code spec.publisher} of a CatalogSource the service creates
 * @param mirrorSets  the mirror-set kind for clusters that do not choose themselves
 */
public record CatalogSourceSpec(String namespace, String name, String displayName, String publisher,
        MirrorSetChoice mirrorSets) {

    public CatalogSourceSpec {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(mirrorSets, "mirrorSets");
    }
}
