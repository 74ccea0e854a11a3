package dev.catalogautopilot.rollout.cluster;

import dev.catalogautopilot.rollout.mirrorset.MirrorSetKind;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The OLM and OpenShift resources the service touches, addressed as untyped {@code GenericKubernetesResource}s:
 * no OpenShift model classes are needed, and no discovery request is made before using them.
 */
final class OpenShiftTypes {

    static final ResourceDefinitionContext CATALOG_SOURCE = new ResourceDefinitionContext.Builder()
            .withGroup("operators.coreos.com").withVersion("v1alpha1").withKind("CatalogSource")
            .withPlural("catalogsources").withNamespaced(true).build();

    private OpenShiftTypes() {
    }

    static ResourceDefinitionContext of(MirrorSetKind kind) {
        return new ResourceDefinitionContext.Builder().withGroup(kind.group()).withVersion(kind.version())
                .withKind(kind.kind()).withPlural(kind.plural()).withNamespaced(false).build();
    }
}
