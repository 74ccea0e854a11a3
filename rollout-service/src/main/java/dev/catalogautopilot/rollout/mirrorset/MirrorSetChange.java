package dev.catalogautopilot.rollout.mirrorset;

/** What applying a mirror set to a cluster takes. */
public enum MirrorSetChange {
    /** The cluster has the same content: touch nothing, since a change can reboot every node. */
    UNCHANGED,
    /** The cluster has no mirror set of that kind and name. */
    CREATE,
    /** The cluster has one whose content differs. */
    UPDATE
}
