package dev.catalogautopilot.events;

/** Media types of the content artifacts events refer to ({@link ContentRef}), and of the artifacts themselves. */
public final class ContentTypes {

    /** Artifact type of what a build publishes beside its catalog image. */
    public static final String BUILD_ARTIFACT = "application/vnd.catalogautopilot.build.v1";
    /** Every image a built catalog references, one per line, sorted. */
    public static final String REFERENCED_IMAGES = "application/vnd.catalogautopilot.referenced-images.v1+text";
    /** The whole {@code CatalogDiff} of a build, as JSON. */
    public static final String CATALOG_DIFF = "application/vnd.catalogautopilot.catalog-diff.v1+json";

    /** Artifact type of what a mirror plan publishes beside the mirrored catalog image. */
    public static final String MIRROR_ARTIFACT = "application/vnd.catalogautopilot.mirror-plan.v1";
    /** {@code mapping.txt}: one {@code source=target} line per image, sorted by source. */
    public static final String MAPPING = "application/vnd.catalogautopilot.mapping.v1+text";
    /** The ImageContentSourcePolicy YAML. */
    public static final String IMAGE_CONTENT_SOURCE_POLICY =
            "application/vnd.catalogautopilot.image-content-source-policy.v1+yaml";
    /** The ImageDigestMirrorSet YAML. */
    public static final String IMAGE_DIGEST_MIRROR_SET =
            "application/vnd.catalogautopilot.image-digest-mirror-set.v1+yaml";
    /** References a plan could not mirror: {@code reference<TAB>reason} per line. */
    public static final String REJECTED_REFERENCES = "application/vnd.catalogautopilot.rejected-references.v1+text";

    /** Most bytes a reader accepts for one content blob: bounds what a forged or broken reference can cost. */
    public static final long MAX_CONTENT_BYTES = 256L * 1024 * 1024;

    private ContentTypes() {
    }

    /** The tag an artifact about {@code digest} (a catalog image) gets, after the cosign attachment convention. */
    public static String attachmentTag(String digest, String suffix) {
        int colon = digest.indexOf(':');
        return digest.substring(0, colon) + "-" + digest.substring(colon + 1) + "." + suffix;
    }
}
