package dev.catalogautopilot.rollout.cluster;

import dev.catalogautopilot.events.rollout.MirrorSetOutcome;
import dev.catalogautopilot.rollout.fleet.CatalogSourceSpec;
import dev.catalogautopilot.rollout.mirrorset.MirrorSet;
import dev.catalogautopilot.rollout.mirrorset.MirrorSetChange;
import dev.catalogautopilot.rollout.mirrorset.MirrorSetDiff;
import dev.catalogautopilot.rollout.mirrorset.MirrorSetKind;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The few operations a rollout makes on one cluster, through its fabric8 client. */
public final class ClusterApi {

    /** Label on CatalogSources the service created. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    private final String cluster;
    private final KubernetesClient client;

    ClusterApi(String cluster, KubernetesClient client) {
        this.cluster = cluster;
        this.client = client;
    }

    public String cluster() {
        return cluster;
    }

    /** IDMS if the cluster serves {@code config.openshift.io/v1} ImageDigestMirrorSets, else ICSP. */
    public MirrorSetKind servedMirrorSetKind() {
        APIResourceList resources;
        try {
            resources = client.getApiResources(MirrorSetKind.IDMS.apiVersion());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return MirrorSetKind.ICSP;
            }
            throw e;
        }
        boolean served = resources != null && resources.getResources() != null && resources.getResources().stream()
                .anyMatch(r -> MirrorSetKind.IDMS.kind().equals(r.getKind()));
        return served ? MirrorSetKind.IDMS : MirrorSetKind.ICSP;
    }

    /** Applies {@code desired} unless the cluster already has the same content. */
    public MirrorSetOutcome apply(MirrorSet desired) {
        var resource = client.genericKubernetesResources(OpenShiftTypes.of(desired.kind())).withName(desired.name());
        GenericKubernetesResource existing = resource.get();
        MirrorSetChange change = MirrorSetDiff.compare(desired, Optional.ofNullable(existing).map(MirrorSet::of));
        switch (change) {
            case UNCHANGED -> {
                return MirrorSetOutcome.UNCHANGED;
            }
            case CREATE -> client.genericKubernetesResources(OpenShiftTypes.of(desired.kind()))
                    .resource(desired.toResource()).create();
            case UPDATE -> {
                // Replace the content, keep everything else (resourceVersion makes it conditional).
                Map<String, String> labels = new LinkedHashMap<>(
                        existing.getMetadata().getLabels() == null ? Map.of() : existing.getMetadata().getLabels());
                labels.putAll(desired.labels());
                existing.getMetadata().setLabels(labels);
                existing.getAdditionalProperties().put("spec", desired.spec());
                client.genericKubernetesResources(OpenShiftTypes.of(desired.kind())).resource(existing).update();
            }
        }
        return MirrorSetOutcome.APPLIED;
    }

    public Optional<GenericKubernetesResource> catalogSource(CatalogSourceSpec spec) {
        return Optional.ofNullable(catalogSources(spec).withName(spec.name()).get());
    }

    /**
     * Points the CatalogSource at {@code image}, on condition that it is still at {@code resourceVersion}; a
     * retried or stale patch fails with 409 instead of overwriting someone else's change. Returns the new
     * resourceVersion.
     */
    public String patchImage(CatalogSourceSpec spec, String resourceVersion, String image) {
        Map<String, Object> patch = Map.of(
                "metadata", Map.of("resourceVersion", resourceVersion),
                "spec", Map.of("image", image));
        GenericKubernetesResource patched = catalogSources(spec).withName(spec.name())
                .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
        return patched.getMetadata().getResourceVersion();
    }

    /**
     * Removes {@code spec.image} (a JSON patch: a merge patch's null is kept by some servers), on the same condition
     * as {@link #patchImage}: a CatalogSource the service did not create goes back to how it was.
     */
    public void removeImage(CatalogSourceSpec spec, String resourceVersion) {
        List<Map<String, Object>> patch = List.of(
                Map.of("op", "replace", "path", "/metadata/resourceVersion", "value", resourceVersion),
                Map.of("op", "remove", "path", "/spec/image"));
        catalogSources(spec).withName(spec.name()).patch(PatchContext.of(PatchType.JSON), Serialization.asJson(patch));
    }

    /** Creates the CatalogSource pointing at {@code image}; returns its resourceVersion. */
    public String createCatalogSource(CatalogSourceSpec spec, String image) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("sourceType", "grpc");
        fields.put("image", image);
        fields.put("displayName", spec.displayName());
        fields.put("publisher", spec.publisher());
        GenericKubernetesResource catalogSource = new GenericKubernetesResourceBuilder()
                .withApiVersion("operators.coreos.com/v1alpha1").withKind("CatalogSource")
                .withNewMetadata().withName(spec.name()).withNamespace(spec.namespace())
                .addToLabels(MANAGED_BY, "catalog-autopilot").endMetadata()
                .addToAdditionalProperties("spec", fields)
                .build();
        return catalogSources(spec).resource(catalogSource).create().getMetadata().getResourceVersion();
    }

    public void deleteCatalogSource(CatalogSourceSpec spec) {
        catalogSources(spec).withName(spec.name()).delete();
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> catalogSources(CatalogSourceSpec spec) {
        return client.genericKubernetesResources(OpenShiftTypes.CATALOG_SOURCE).inNamespace(spec.namespace());
    }
}
