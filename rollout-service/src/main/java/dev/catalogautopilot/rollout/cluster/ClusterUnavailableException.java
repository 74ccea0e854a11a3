package dev.catalogautopilot.rollout.cluster;

/** A cluster's client could not be built, e.g. its kubeconfig is missing or unreadable. */
public class ClusterUnavailableException extends RuntimeException {

    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
