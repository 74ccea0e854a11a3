package dev.catalogautopilot.rollout.mirrorset;

/** The two resources that tell a cluster's nodes where to pull images by digest from. */
public enum MirrorSetKind {
    /** {@code operator.openshift.io/v1alpha1} ImageContentSourcePolicy, every OpenShift 4 release. */
    ICSP("operator.openshift.io", "v1alpha1", "ImageContentSourcePolicy", "imagecontentsourcepolicies",
            "repositoryDigestMirrors"),
    /** {@code config.openshift.io/v1} ImageDigestMirrorSet, OpenShift 4.13 and later. */
    IDMS("config.openshift.io", "v1", "ImageDigestMirrorSet", "imagedigestmirrorsets", "imageDigestMirrors");

    private final String group;
    private final String version;
    private final String kind;
    private final String plural;
    private final String entriesField;

    MirrorSetKind(String group, String version, String kind, String plural, String entriesField) {
        this.group = group;
        this.version = version;
        this.kind = kind;
        this.plural = plural;
        this.entriesField = entriesField;
    }

    public String group() {
        return group;
    }

    public String version() {
        return version;
    }

    public String apiVersion() {
        return group + "/" + version;
    }

    public String kind() {
        return kind;
    }

    public String plural() {
        return plural;
    }

    /** The {@code spec} list holding the source-to-mirrors entries. */
    public String entriesField() {
        return entriesField;
    }

    /** The kind whose {@code kind} field is {@code kind}. */
    public static MirrorSetKind ofKind(String kind) {
        for (MirrorSetKind candidate : values()) {
            if (candidate.kind.equals(kind)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("not a mirror set kind: " + kind);
    }
}
