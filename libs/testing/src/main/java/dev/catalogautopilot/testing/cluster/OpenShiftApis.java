package dev.catalogautopilot.testing.cluster;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import java.util.List;

/** The OpenShift and OLM resource types a simulated cluster serves, as its CRDs would declare them. */
public final class OpenShiftApis {

    /** {@code operators.coreos.com/v1alpha1} CatalogSource: namespaced, with a status subresource. */
    public static final CustomResourceDefinitionContext CATALOG_SOURCE = new CustomResourceDefinitionContext.Builder()
            .withName("catalogsources.operators.coreos.com").withGroup("operators.coreos.com").withVersion("v1alpha1")
            .withKind("CatalogSource").withPlural("catalogsources").withScope("Namespaced")
            .withStatusSubresource(true).build();

    /** {@code operator.openshift.io/v1alpha1} ImageContentSourcePolicy: cluster-scoped. */
    public static final CustomResourceDefinitionContext IMAGE_CONTENT_SOURCE_POLICY =
            new CustomResourceDefinitionContext.Builder()
                    .withName("imagecontentsourcepolicies.operator.openshift.io").withGroup("operator.openshift.io")
                    .withVersion("v1alpha1").withKind("ImageContentSourcePolicy")
                    .withPlural("imagecontentsourcepolicies").withScope("Cluster").build();

    /** {@code config.openshift.io/v1} ImageDigestMirrorSet (OpenShift 4.13 and later): cluster-scoped. */
    public static final CustomResourceDefinitionContext IMAGE_DIGEST_MIRROR_SET =
            new CustomResourceDefinitionContext.Builder()
                    .withName("imagedigestmirrorsets.config.openshift.io").withGroup("config.openshift.io")
                    .withVersion("v1").withKind("ImageDigestMirrorSet").withPlural("imagedigestmirrorsets")
                    .withScope("Cluster").build();

    private OpenShiftApis() {
    }

    /** The types of a cluster of OpenShift 4.13 or later ({@code digestMirrorSets}), or of an older one. */
    static List<CustomResourceDefinitionContext> served(boolean digestMirrorSets) {
        return digestMirrorSets
                ? List.of(CATALOG_SOURCE, IMAGE_CONTENT_SOURCE_POLICY, IMAGE_DIGEST_MIRROR_SET)
                : List.of(CATALOG_SOURCE, IMAGE_CONTENT_SOURCE_POLICY);
    }
}
