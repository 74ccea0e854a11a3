package dev.catalogautopilot.mirror.plan;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Renders the mirror sets a cluster needs to pull the mirrored images by digest: an ImageContentSourcePolicy
 * ({@code operator.openshift.io/v1alpha1}) and, for OpenShift 4.13 and later, an ImageDigestMirrorSet
 * ({@code config.openshift.io/v1}). Deterministic: the same plan always renders the same bytes, so the rollout
 * can compare content and skip a re-apply (which may reboot nodes).
 */
public final class MirrorSets {

    /** The label {@code oc adm catalog mirror} puts on its ImageContentSourcePolicy. */
    public static final String CATALOG_LABEL = "operators.openshift.org/catalog";

    private MirrorSets() {
    }

    /**
     * Source repository to mirror repository, sorted, for every image pinned by digest (as {@code oc}: mirror sets
     * apply to pulls by digest only); an image whose source is already its target needs no entry.
     */
    public static SortedMap<String, String> repositoryMirrors(List<PlannedImage> images) {
        SortedMap<String, String> mirrors = new TreeMap<>();
        for (PlannedImage image : images) {
            if (image.source().digest() == null) {
                continue;
            }
            String source = image.source().name();
            String mirror = image.target().name();
            if (!source.equals(mirror)) {
                mirrors.put(source, mirror);
            }
        }
        return mirrors;
    }

    /** The ImageContentSourcePolicy YAML named after the catalog. */
    public static String imageContentSourcePolicy(String catalog, SortedMap<String, String> mirrors) {
        return document("operator.openshift.io/v1alpha1", "ImageContentSourcePolicy", catalog,
                "repositoryDigestMirrors", mirrors);
    }

    /** The ImageDigestMirrorSet YAML named after the catalog. */
    public static String imageDigestMirrorSet(String catalog, SortedMap<String, String> mirrors) {
        return document("config.openshift.io/v1", "ImageDigestMirrorSet", catalog, "imageDigestMirrors", mirrors);
    }

    /** A Kubernetes object name (RFC 1123 subdomain) for the catalog: lowercase, other characters as {@code -}. */
    static String objectName(String catalog) {
        String name = catalog.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-")
                .replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
        if (name.isEmpty()) {
            name = "catalog";
        }
        return name.length() > 253 ? name.substring(0, 253) : name;
    }

    private static String document(String apiVersion, String kind, String catalog, String listField,
                                   Map<String, String> mirrors) {
        StringBuilder yaml = new StringBuilder()
                .append("apiVersion: ").append(apiVersion).append('\n')
                .append("kind: ").append(kind).append('\n')
                .append("metadata:\n")
                .append("  name: ").append(objectName(catalog)).append('\n')
                .append("  labels:\n")
                .append("    ").append(CATALOG_LABEL).append(": \"true\"\n")
                .append("spec:\n");
        if (mirrors.isEmpty()) {
            yaml.append("  ").append(listField).append(": []\n");
            return yaml.toString();
        }
        yaml.append("  ").append(listField).append(":\n");
        mirrors.forEach((source, mirror) -> yaml
                .append("  - source: ").append(source).append('\n')
                .append("    mirrors:\n")
                .append("    - ").append(mirror).append('\n'));
        return yaml.toString();
    }
}
