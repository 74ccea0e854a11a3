package dev.catalogautopilot.rollout.cluster;

import dev.catalogautopilot.rollout.config.RolloutConfig;
import dev.catalogautopilot.rollout.fleet.ClusterDefinition;
import dev.catalogautopilot.rollout.fleet.Fleet;
import dev.catalogautopilot.rollout.fleet.KubeconfigSource;
import dev.catalogautopilot.rollout.mirrorset.MirrorSetKind;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Vertx;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One fabric8 client per fleet cluster, built from its kubeconfig on first use and shared by every rollout.
 * All clients share the application's Vert.x instance and one JSON serialization: each new serialization builds
 * its type registry under a JVM-wide lock, which a thousand clients would do one after the other on the first
 * rollout.
 */
@ApplicationScoped
public class ClusterClients {

    private static final Logger LOG = Logger.getLogger(ClusterClients.class);

    private final Fleet fleet;
    private final RolloutConfig config;
    private volatile KubernetesClient home;
    private final VertxHttpClientFactory httpClients;
    private final KubernetesSerialization json = new KubernetesSerialization();
    private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();
    private final Map<String, Served> served = new ConcurrentHashMap<>();

    /** A cluster's mirror-set kind, as learnt at {@code nanos}. */
    private record Served(MirrorSetKind kind, long nanos) {
    }

    /** How long a cluster's served mirror-set kind is trusted; an upgrade to OpenShift 4.13 adds IDMS. */
    private static final Duration SERVED_KIND_TTL = Duration.ofMinutes(5);

    public ClusterClients(Fleet fleet, RolloutConfig config, Vertx vertx) {
        this.fleet = fleet;
        this.config = config;
        this.httpClients = new VertxHttpClientFactory(vertx);
    }

    /** The API of cluster {@code name}; throws {@link ClusterUnavailableException} if its kubeconfig is unusable. */
    public ClusterApi cluster(String name) {
        return new ClusterApi(name, clients.computeIfAbsent(name, this::connect));
    }

    /**
     * Builds every fleet cluster's client in the background after startup, and the shared serialization's type
     * registry with it, so that the first rollout does not pay for them on its hot path. A cluster whose kubeconfig
     * is unusable now is tried again on first use.
     */
    void warmUp(@Observes StartupEvent event) {
        Thread warming = new Thread(() -> {
            json.unmarshal("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}", KubernetesResource.class);
            for (ClusterDefinition cluster : fleet.clusters()) {
                try {
                    clients.computeIfAbsent(cluster.name(), this::connect);
                } catch (RuntimeException unusable) {
                    LOG.debugf("cluster %s: client not built at startup: %s", cluster.name(), unusable.getMessage());
                }
            }
        }, "rollout-clients-warm-up");
        warming.setDaemon(true);
        warming.start();
    }

    /** {@link ClusterApi#servedMirrorSetKind()} of cluster {@code name}, asked at most once per TTL, not per rollout. */
    public MirrorSetKind servedMirrorSetKind(String name) {
        long now = System.nanoTime();
        Served known = served.get(name);
        if (known != null && now - known.nanos() < SERVED_KIND_TTL.toNanos()) {
            return known.kind();
        }
        MirrorSetKind kind = cluster(name).servedMirrorSetKind();
        served.put(name, new Served(kind, now));
        return kind;
    }

    private KubernetesClient connect(String name) {
        ClusterDefinition cluster = fleet.cluster(name);
        Config clientConfig;
        try {
            String kubeconfig = kubeconfig(cluster.kubeconfig());
            String path = cluster.kubeconfig() instanceof KubeconfigSource.File file ? file.path().toString() : null;
            clientConfig = Config.fromKubeconfig(cluster.context().orElse(null), kubeconfig, path);
        } catch (IOException | RuntimeException e) {
            // The kubeconfig's content (tokens, keys) never goes into the message.
            throw new ClusterUnavailableException("cluster " + name + ": cannot use the kubeconfig from "
                    + cluster.kubeconfig() + " (" + e.getClass().getSimpleName() + ")", e);
        }
        RolloutConfig.Kubernetes settings = config.kubernetes();
        clientConfig.setRequestTimeout((int) settings.requestTimeout().toMillis());
        clientConfig.setConnectionTimeout((int) settings.connectTimeout().toMillis());
        clientConfig.setRequestRetryBackoffLimit(settings.retries());
        clientConfig.setRequestRetryBackoffInterval(200);
        return new KubernetesClientBuilder().withHttpClientFactory(httpClients).withKubernetesSerialization(json)
                .withConfig(clientConfig).build();
    }

    private String kubeconfig(KubeconfigSource source) throws IOException {
        if (source instanceof KubeconfigSource.File file) {
            return Files.readString(file.path());
        }
        KubeconfigSource.Secret reference = (KubeconfigSource.Secret) source;
        Secret secret = home().secrets().inNamespace(reference.namespace()).withName(reference.name()).get();
        if (secret == null || secret.getData() == null || !secret.getData().containsKey(reference.key())) {
            throw new IOException(reference + " does not exist or has no such key");
        }
        return new String(Base64.getDecoder().decode(secret.getData().get(reference.key())), StandardCharsets.UTF_8);
    }

    /** The cluster the service runs in, built on the first kubeconfig-secret lookup. */
    private synchronized KubernetesClient home() throws IOException {
        if (home == null) {
            Config homeConfig = config.homeKubeconfig().isPresent()
                    ? Config.fromKubeconfig(null, Files.readString(Path.of(config.homeKubeconfig().get())),
                            config.homeKubeconfig().get())
                    : Config.autoConfigure(null);
            home = new KubernetesClientBuilder().withHttpClientFactory(httpClients).withConfig(homeConfig).build();
        }
        return home;
    }

    @PreDestroy
    void close() {
        clients.values().forEach(KubernetesClient::close);
        if (home != null) {
            home.close();
        }
    }
}
