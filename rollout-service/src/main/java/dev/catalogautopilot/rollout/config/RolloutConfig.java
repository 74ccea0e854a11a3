package dev.catalogautopilot.rollout.config;

import dev.catalogautopilot.rollout.mirrorset.MirrorSetChoice;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The fleet, its waves, the CatalogSource of each catalog, and how hard the service works each cluster. */
@ConfigMapping(prefix = "rollout")
public interface RolloutConfig {

    /** The fleet's clusters, by cluster name. The name appears in every event about the cluster. */
    Map<String, ClusterConfig> clusters();

    /** The waves, in order; the first is the canary. A cluster belongs to the first wave whose selector it matches. */
    Optional<List<WaveConfig>> waves();

    /**
     * The catalogs the service rolls out, with their CatalogSource settings, by catalog name; an event about a
     * catalog not listed is refused. A catalog whose settings are all defaults is listed by setting one of them,
     * e.g. {@code rollout.catalogs.<name>.display-name}.
     */
    Map<String, CatalogConfig> catalogs();

    /**
     * Where catalog images and their mirror sets must lie, as {@code registry[/prefix]}: the mirror-service's
     * {@code mirror.destination}. Every catalog-mirrored event is refused until it is set.
     */
    Optional<String> mirrorDestination();

    /**
     * Kubeconfig file for the cluster the service runs in, where kubeconfig-secret Secrets are read; the pod's
     * service account (or the standard kubeconfig locations) when not set.
     */
    Optional<String> homeKubeconfig();

    /** Namespace of the CatalogSource of a catalog that does not set one. */
    @WithDefault("openshift-marketplace")
    String catalogSourceNamespace();

    /** Publisher shown on a CatalogSource of a catalog that does not set one. */
    @WithDefault("Catalog Autopilot")
    String publisher();

    /** How often the driver advances the rollouts it leases. */
    @WithDefault("1s")
    Duration tick();

    /** How long a driver's claim on a rollout lasts without renewal; another replica takes it over after that. */
    @WithDefault("15s")
    Duration lease();

    /** Clusters updated at the same time, over all rollouts; each wave's max-parallel bounds its own share. */
    @WithDefault("32")
    int clusterThreads();

    /**
     * How long past its deadline a cluster's worker may go without a verdict before the reconciler takes the
     * cluster over (rolls it back or fails it, with the reason), and how long the driver may go without a pass
     * before the health checks report it stuck.
     */
    @WithDefault("2m")
    Duration stuckAfter();

    /** How often the queue-depth gauges ({@code rollout_clusters}, {@code rollout_rollouts_running}) are read. */
    @WithDefault("15s")
    Duration metricsRefresh();

    /** How the service checks that a cluster serves the new catalog. */
    Verification verification();

    /** Timeouts of the requests to the clusters' API servers. */
    Kubernetes kubernetes();

    /** How the mirror registry is read for the content catalog-mirrored events name (the mirror sets). */
    Registry registry();

    /** How the mirror registry is reached. */
    interface Registry {

        /** auth.json / docker config.json with pull credentials for the mirror registry; default the standard locations. */
        Optional<String> authFile();

        /** Registries spoken to over plain HTTP (host:port); every other registry uses verified TLS. */
        Optional<List<String>> insecure();

        /** Longest wait for the registry's response headers. */
        @WithDefault("30s")
        Duration requestTimeout();
    }

    /** One cluster of the fleet. */
    interface ClusterConfig {

        /** Path of the kubeconfig file to reach the cluster with. Set this or kubeconfig-secret. */
        Optional<String> kubeconfig();

        /**
         * A Secret holding the kubeconfig, as {@code namespace/name}, in the cluster the service runs in.
         * Set this or kubeconfig.
         */
        Optional<String> kubeconfigSecret();

        /** The Secret's data key holding the kubeconfig. */
        @WithDefault("kubeconfig")
        String kubeconfigSecretKey();

        /** The kubeconfig context to use; its current context when not set. */
        Optional<String> context();

        /** Labels that wave selectors match, e.g. {@code ring=canary}. */
        Map<String, String> labels();

        /**
         * Which mirror set the cluster gets: {@code icsp}, {@code idms} or {@code detect} (IDMS when the cluster
         * serves {@code config.openshift.io/v1} ImageDigestMirrorSets). Overrides the catalog's setting.
         */
        Optional<MirrorSetChoice> mirrorSets();
    }

    /** One wave of every rollout. */
    interface WaveConfig {

        /** Name shown in events and the REST API, e.g. {@code canary}. */
        String name();

        /**
         * Label selector choosing the wave's clusters, e.g. {@code ring=canary} or
         * {@code env in (prod,staging),!legacy}; every remaining cluster when not set.
         */
        Optional<String> selector();

        /** Clusters of this wave updated at the same time. */
        @WithDefault("1")
        int maxParallel();

        /**
         * Time a cluster has for the mirror set and the patch from the moment a worker takes it up, and then again
         * for a verified READY from the moment verification begins, before it is failed and rolled back; a worker
         * that takes it up again (after a restart) opens a fresh window.
         */
        @WithDefault("5m")
        Duration verificationDeadline();

        /** Time to wait after this wave completed before the next wave starts. */
        @WithDefault("0s")
        Duration soak();

        /** Whether the wave waits for an approval (POST /rollouts/{id}/approve) before it starts. */
        @WithDefault("false")
        boolean requiresApproval();
    }

    /** The CatalogSource of one catalog. */
    interface CatalogConfig {

        /** CatalogSource name; the catalog name when not set. */
        Optional<String> catalogSource();

        /** CatalogSource namespace; rollout.catalog-source-namespace when not set. */
        Optional<String> namespace();

        /** {@code spec.displayName}; the catalog name when not set. */
        Optional<String> displayName();

        /** {@code spec.publisher}; rollout.publisher when not set. */
        Optional<String> publisher();

        /** {@code icsp}, {@code idms} or {@code detect}, for clusters that do not choose themselves. */
        @WithDefault("detect")
        MirrorSetChoice mirrorSets();
    }

    /** Verification of each cluster. */
    interface Verification {

        /** Time between two reads of a CatalogSource's status while waiting for READY. */
        @WithDefault("1s")
        Duration pollInterval();
    }

    /** Client settings for the clusters' API servers. */
    interface Kubernetes {

        /** Timeout of one request. */
        @WithDefault("10s")
        Duration requestTimeout();

        /** Timeout of establishing a connection. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Retries of a request on 5xx, 429 and connection errors (the client's own; every patch is idempotent). */
        @WithDefault("1")
        int retries();
    }
}
