package dev.catalogautopilot.testing.cluster;

import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.testing.upstream.ImagePusher;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * One simulated OpenShift cluster: a fabric8 {@code KubernetesMockServer} in CRUD mode on a loopback port, a
 * kubeconfig file pointing at it, and a {@link SimulatedOlm} reporting CatalogSource health.
 *
 * <pre>{@code
 * try (SimulatedCluster cluster = SimulatedCluster.builder("prod-east-1").label("ring", "canary").start()) {
 *     Path kubeconfig = cluster.kubeconfig();          // context "prod-east-1"
 *     cluster.seedCatalogSource("openshift-marketplace", "redhat-operators", oldImage);
 *     long patches = cluster.requests().catalogSourcePatches("openshift-marketplace", "redhat-operators");
 * }
 * }</pre>
 */
public final class SimulatedCluster implements AutoCloseable {

    /** Where OLM runs CatalogSources by default. */
    public static final String MARKETPLACE = "openshift-marketplace";

    // The mock server logs every request at INFO; the logger is held so the level sticks.
    private static final java.util.logging.Logger MOCK_SERVER_LOG = quiet("io.fabric8.mockwebserver.MockWebServer");

    // One Vert.x for the clients of every simulated cluster in this JVM; a client of its own would start one each.
    private static final VertxHttpClientFactory CLIENTS = new VertxHttpClientFactory(Vertx.vertx());
    // One serialization for every client: each new one builds its type registry under a JVM-wide lock, which with
    // dozens of clients starting at once blocks the event loops for seconds.
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final String name;
    private final Map<String, String> labels;
    private final boolean digestMirrorSets;
    private final ApiServerHost host;
    private final boolean ownHost;
    private final String url;
    private final ClusterApiDispatcher dispatcher;
    private final ApiRequestLog requests;
    private final KubernetesClient client;
    private final SimulatedOlm olm;
    private final Path kubeconfig;
    private final String token = UUID.randomUUID().toString();

    private SimulatedCluster(Builder builder, ApiServerHost sharedHost) {
        this.name = builder.name;
        this.labels = Map.copyOf(builder.labels);
        this.digestMirrorSets = builder.digestMirrorSets;
        this.requests = new ApiRequestLog();
        Map<ServerRequest, Queue<ServerResponse>> expectations = new ConcurrentHashMap<>();
        this.dispatcher = new ClusterApiDispatcher(expectations, OpenShiftApis.served(digestMirrorSets), requests);
        this.ownHost = sharedHost == null;
        this.host = ownHost ? new ApiServerHost() : sharedHost;
        this.url = host.add(name, dispatcher);
        this.client = new KubernetesClientBuilder().withHttpClientFactory(CLIENTS).withKubernetesSerialization(JSON)
                .withConfig(clientConfig()).build();
        this.kubeconfig = writeKubeconfig();
        this.olm = new SimulatedOlm(name, client, builder.registry, digestMirrorSets, builder.readyDelay,
                builder.olmResync, builder.olmScheduler);
        olm.start();
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** The labels a fleet configuration gives this cluster (the cluster itself does not use them). */
    public Map<String, String> labels() {
        return labels;
    }

    /** {@code http://127.0.0.1:PORT/clusters/NAME}, the API server (one port may serve many clusters). */
    public String url() {
        return url;
    }

    /** A kubeconfig file whose only context, named after the cluster, points at the API server. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** The kubeconfig context to use: the cluster's name. */
    public String context() {
        return name;
    }

    /** Whether the cluster serves ImageDigestMirrorSets (OpenShift 4.13 and later), or only ICSPs. */
    public boolean servesImageDigestMirrorSets() {
        return digestMirrorSets;
    }

    /** A client for test assertions; its requests are logged too. */
    public KubernetesClient client() {
        return client;
    }

    public SimulatedOlm olm() {
        return olm;
    }

    public ApiRequestLog requests() {
        return requests;
    }

    /** Makes the API server answer normally, fail every request with 503, or never answer. */
    public void apiServer(ApiServerMode mode) {
        dispatcher.mode(mode);
    }

    public ApiServerMode apiServer() {
        return dispatcher.mode();
    }

    /** Creates a CatalogSource pointing at {@code image} and waits until the OLM's verdict on it is in. */
    public GenericKubernetesResource seedCatalogSource(String namespace, String catalogSourceName, String image) {
        GenericKubernetesResource catalogSource = new GenericKubernetesResourceBuilder()
                .withApiVersion("operators.coreos.com/v1alpha1").withKind("CatalogSource")
                .withNewMetadata().withName(catalogSourceName).withNamespace(namespace).endMetadata()
                .addToAdditionalProperties("spec", Map.of("sourceType", "grpc", "image", image,
                        "displayName", catalogSourceName, "publisher", "seed"))
                .build();
        client.genericKubernetesResources(OpenShiftApis.CATALOG_SOURCE).inNamespace(namespace)
                .resource(catalogSource).create();
        return awaitCatalogSource(namespace, catalogSourceName,
                cs -> !"CONNECTING".equals(observedState(cs).orElse("CONNECTING")), Duration.ofSeconds(30));
    }

    /** The CatalogSource, if it exists. */
    public Optional<GenericKubernetesResource> catalogSource(String namespace, String catalogSourceName) {
        return Optional.ofNullable(client.genericKubernetesResources(OpenShiftApis.CATALOG_SOURCE)
                .inNamespace(namespace).withName(catalogSourceName).get());
    }

    /** The CatalogSource's {@code spec.image}, if it exists. */
    public Optional<String> catalogSourceImage(String namespace, String catalogSourceName) {
        return catalogSource(namespace, catalogSourceName).map(cs -> Resources.text(cs, "spec", "image"));
    }

    /** {@code status.connectionState.lastObservedState} of a CatalogSource. */
    public static Optional<String> observedState(GenericKubernetesResource catalogSource) {
        return Optional.ofNullable(Resources.text(catalogSource, "status", "connectionState", "lastObservedState"));
    }

    /** Waits until the CatalogSource exists and matches {@code condition}. */
    public GenericKubernetesResource awaitCatalogSource(String namespace, String catalogSourceName,
            Predicate<GenericKubernetesResource> condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        GenericKubernetesResource last = null;
        while (Instant.now().isBefore(deadline)) {
            last = catalogSource(namespace, catalogSourceName).orElse(null);
            if (last != null && condition.test(last)) {
                return last;
            }
            sleep(50);
        }
        throw new AssertionError("CatalogSource " + namespace + "/" + catalogSourceName + " on " + name
                + " did not reach the expected state within " + timeout + "; last: " + last);
    }

    /** A cluster-scoped mirror set, if it exists. */
    public Optional<GenericKubernetesResource> imageContentSourcePolicy(String policyName) {
        return Optional.ofNullable(client.genericKubernetesResources(OpenShiftApis.IMAGE_CONTENT_SOURCE_POLICY)
                .withName(policyName).get());
    }

    public Optional<GenericKubernetesResource> imageDigestMirrorSet(String setName) {
        return Optional.ofNullable(client.genericKubernetesResources(OpenShiftApis.IMAGE_DIGEST_MIRROR_SET)
                .withName(setName).get());
    }

    /**
     * Adds an ImageContentSourcePolicy of the cluster's own that sends pulls of {@code source} to {@code mirror},
     * e.g. one that points at a registry lacking the images.
     */
    public void addImageContentSourcePolicy(String policyName, String source, String mirror) {
        GenericKubernetesResource policy = new GenericKubernetesResourceBuilder()
                .withApiVersion("operator.openshift.io/v1alpha1").withKind("ImageContentSourcePolicy")
                .withNewMetadata().withName(policyName).endMetadata()
                .addToAdditionalProperties("spec", Map.of("repositoryDigestMirrors",
                        List.of(Map.of("source", source, "mirrors", List.of(mirror)))))
                .build();
        client.genericKubernetesResources(OpenShiftApis.IMAGE_CONTENT_SOURCE_POLICY).resource(policy).create();
    }

    @Override
    public void close() {
        olm.close();
        client.close();
        host.remove(name);
        if (ownHost) {
            host.close();
        }
    }

    @Override
    public String toString() {
        return "SimulatedCluster[" + name + " " + url() + "]";
    }

    // Generous timeouts: this client is the harness's and the simulated OLM's, not the service's under test, and a
    // busy 2-core machine running a thousand simulated clusters answers slowly.
    private Config clientConfig() {
        return new ConfigBuilder(Config.empty()).withMasterUrl(url()).withNamespace(MARKETPLACE)
                .withOauthToken(token).withRequestTimeout(10_000).withConnectionTimeout(5_000)
                .withRequestRetryBackoffLimit(0).withHttp2Disable(true).build();
    }

    private Path writeKubeconfig() {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                contexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: %1$s-admin
                    namespace: %3$s
                current-context: %1$s
                users:
                - name: %1$s-admin
                  user:
                    token: %4$s
                """.formatted(name, url(), MARKETPLACE, token);
        try {
            Path file = Files.createTempFile("kubeconfig-" + name.replaceAll("[^A-Za-z0-9_-]", "_") + "-", ".yaml");
            Files.writeString(file, yaml);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the kubeconfig of " + name, e);
        }
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Options of one simulated cluster. */
    public static final class Builder {
        private final String name;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private boolean digestMirrorSets = true;
        private Duration readyDelay = Duration.ofMillis(200);
        private RegistryClient registry;
        private Duration olmResync = SimulatedOlm.DEFAULT_RESYNC;
        private java.util.concurrent.ScheduledExecutorService olmScheduler;

        private Builder(String name) {
            this.name = name;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Builder labels(Map<String, String> values) {
            labels.putAll(values);
            return this;
        }

        /** Serve ImageDigestMirrorSets (OpenShift 4.13+, the default) or only ImageContentSourcePolicies. */
        public Builder imageDigestMirrorSets(boolean served) {
            this.digestMirrorSets = served;
            return this;
        }

        /** Time the simulated OLM takes from {@code CONNECTING} to its verdict; 200 ms by default. */
        public Builder readyDelay(Duration delay) {
            this.readyDelay = delay;
            return this;
        }

        /** The client the OLM checks pulls with; by default one speaking plain HTTP to loopback registries. */
        public Builder registryClient(RegistryClient client) {
            this.registry = client;
            return this;
        }

        /** How often the simulated OLM lists CatalogSources to catch watch events it missed; 1 s by default. */
        public Builder olmResync(Duration interval) {
            this.olmResync = interval;
            return this;
        }

        public SimulatedCluster start() {
            return start(null, null);
        }

        /**
         * Starts the cluster on a fleet's {@code sharedHost} and with its OLM on the fleet's {@code scheduler};
         * with nulls, on its own API server and OLM thread.
         */
        SimulatedCluster start(ApiServerHost sharedHost, java.util.concurrent.ScheduledExecutorService scheduler) {
            this.olmScheduler = scheduler;
            if (registry == null) {
                registry = Loopback.CLIENT;
            }
            return new SimulatedCluster(this, sharedHost);
        }
    }

    private static final class Loopback {
        static final RegistryClient CLIENT = ImagePusher.loopback().client();
    }
}
