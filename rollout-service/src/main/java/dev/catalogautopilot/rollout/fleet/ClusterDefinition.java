package dev.catalogautopilot.rollout.fleet;

import dev.catalogautopilot.rollout.mirrorset.MirrorSetChoice;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One cluster of the fleet.
 *
 * @param name       unique name, used in events
 * @param labels     what wave selectors match
 * @param kubeconfig where its kubeconfig comes from
 * @param context    kubeconfig context; the current context when empty
 * @param mirrorSets the cluster's own mirror-set choice, overriding the catalog's
 */
public record ClusterDefinition(String name, Map<String, String> labels, KubeconfigSource kubeconfig,
        Optional<String> context, Optional<MirrorSetChoice> mirrorSets) {

    public ClusterDefinition {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(kubeconfig, "kubeconfig");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(mirrorSets, "mirrorSets");
    }
}
