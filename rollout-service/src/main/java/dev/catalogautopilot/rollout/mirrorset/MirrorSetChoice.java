package dev.catalogautopilot.rollout.mirrorset;

/** Which kind of mirror set a cluster gets. */
public enum MirrorSetChoice {
    /** ImageDigestMirrorSet if the cluster serves it (OpenShift 4.13+), else ImageContentSourcePolicy. */
    DETECT,
    /** Always an ImageContentSourcePolicy. */
    ICSP,
    /** Always an ImageDigestMirrorSet. */
    IDMS
}
