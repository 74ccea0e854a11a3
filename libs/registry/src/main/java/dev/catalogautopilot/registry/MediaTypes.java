package dev.catalogautopilot.registry;

import java.util.List;

/** Media types of manifests, indexes, configs and layers in the Docker v2 and OCI formats. */
public final class MediaTypes {

    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";

    /** Every manifest type this client understands, in the order sent in {@code Accept}. */
    public static final List<String> MANIFESTS = List.of(OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

    private MediaTypes() {
    }

    /** Whether {@code mediaType} is a multi-platform index (OCI index or Docker manifest list). */
    public static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    /** Whether {@code mediaType} is a single-platform image manifest. */
    public static boolean isImageManifest(String mediaType) {
        return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
    }

    /** Whether {@code mediaType} is any supported manifest type. */
    public static boolean isManifest(String mediaType) {
        return MANIFESTS.contains(mediaType);
    }

    /** The value of an {@code Accept} header listing all supported manifest types. */
    static String manifestAcceptHeader() {
        return String.join(", ", MANIFESTS);
    }
}
