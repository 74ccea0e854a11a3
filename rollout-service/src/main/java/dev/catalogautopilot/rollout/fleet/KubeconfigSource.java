package dev.catalogautopilot.rollout.fleet;

import java.nio.file.Path;
import java.util.Objects;

/** Where a cluster's kubeconfig comes from. */
public sealed interface KubeconfigSource {

    /** A file on the service's filesystem (e.g. a mounted Secret). */
    record File(Path path) implements KubeconfigSource {
        public File {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return "file " + path;
        }
    }

    /** A key of a Secret in the cluster the service runs in, read through the service's own service account. */
    record Secret(String namespace, String name, String key) implements KubeconfigSource {
        public Secret {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(key, "key");
        }

        /** Parses {@code namespace/name}. */
        public static Secret parse(String reference, String key) {
            int slash = reference.indexOf('/');
            if (slash <= 0 || slash == reference.length() - 1 || reference.indexOf('/', slash + 1) >= 0) {
                throw new IllegalArgumentException("kubeconfig-secret must be namespace/name, not '" + reference + "'");
            }
            return new Secret(reference.substring(0, slash), reference.substring(slash + 1), key);
        }

        @Override
        public String toString() {
            return "secret " + namespace + "/" + name + "[" + key + "]";
        }
    }
}
