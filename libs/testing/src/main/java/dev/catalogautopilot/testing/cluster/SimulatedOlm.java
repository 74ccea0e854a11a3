package dev.catalogautopilot.testing.cluster;

import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.registry.RegistryException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for OLM's catalog operator on one simulated cluster. It watches CatalogSources; when one's
 * {@code spec.image} changes it reports {@code CONNECTING}, and after the ready delay {@code READY} if the image's
 * manifest answers a {@code HEAD} through the cluster's mirror sets ({@link PullSources}), else
 * {@code TRANSIENT_FAILURE}. Like the real {@code metav1.Time}, {@code lastConnect} has second precision.
 */
public final class SimulatedOlm implements AutoCloseable {

    static final Duration DEFAULT_RESYNC = Duration.ofSeconds(1);

    private final String clusterName;
    private final KubernetesClient client;
    private final RegistryClient registry;
    private final boolean digestMirrorSets;
    private final ScheduledExecutorService executor;
    private final boolean ownExecutor;
    private final Duration resync;
    private volatile boolean closed;
    private volatile java.util.concurrent.ScheduledFuture<?> resyncing;
    // The image each CatalogSource ("namespace/name") was last seen with: only a change is acted on.
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private volatile Duration readyDelay;
    private volatile OlmBehaviour behaviour = OlmBehaviour.PULL;
    private volatile Watch watch;

    /** {@code shared}: the scheduler of a whole fleet, or null for a thread of this OLM's own. */
    SimulatedOlm(String clusterName, KubernetesClient client, RegistryClient registry, boolean digestMirrorSets,
            Duration readyDelay, Duration resync, ScheduledExecutorService shared) {
        this.clusterName = clusterName;
        this.client = client;
        this.registry = registry;
        this.digestMirrorSets = digestMirrorSets;
        this.readyDelay = readyDelay;
        this.resync = resync;
        this.ownExecutor = shared == null;
        this.executor = shared != null ? shared : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "simulated-olm-" + clusterName);
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() {
        watch();
        // A missed watch event (the watch reconnecting) is caught up by listing.
        resyncing = executor.scheduleWithFixedDelay(this::resync, resync.toMillis(), resync.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Time between {@code CONNECTING} and the verdict; zero reports it at once. */
    public void readyDelay(Duration delay) {
        this.readyDelay = delay;
    }

    public void behaviour(OlmBehaviour behaviour) {
        this.behaviour = behaviour;
    }

    public OlmBehaviour behaviour() {
        return behaviour;
    }

    private void watch() {
        try {
            watch = client.genericKubernetesResources(OpenShiftApis.CATALOG_SOURCE).inAnyNamespace()
                    .watch(new Watcher<>() {
                        @Override
                        public void eventReceived(Action action, GenericKubernetesResource resource) {
                            if (action == Action.ADDED || action == Action.MODIFIED) {
                                executor.execute(() -> observe(resource));
                            }
                        }

                        @Override
                        public void onClose(WatcherException cause) {
                            if (!closed) {
                                executor.schedule(SimulatedOlm.this::watch, resync.toMillis(), TimeUnit.MILLISECONDS);
                            }
                        }
                    });
        } catch (KubernetesClientException unavailable) {
            if (!closed) {
                executor.schedule(this::watch, resync.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void resync() {
        if (closed) {
            return;
        }
        try {
            client.genericKubernetesResources(OpenShiftApis.CATALOG_SOURCE).inAnyNamespace().list().getItems()
                    .forEach(this::observe);
        } catch (KubernetesClientException unavailable) {
            // The API server is down or silent; the next resync tries again.
        }
    }

    private void observe(GenericKubernetesResource catalogSource) {
        String namespace = catalogSource.getMetadata().getNamespace();
        String name = catalogSource.getMetadata().getName();
        String image = Resources.text(catalogSource, "spec", "image");
        String key = namespace + "/" + name;
        // A silent OLM does not even notice: once it answers again, the resync reports the current image.
        if (image == null || behaviour == OlmBehaviour.SILENT || image.equals(seen.put(key, image))) {
            return;
        }
        report(namespace, name, "CONNECTING");
        executor.schedule(() -> settle(key, namespace, name, image), readyDelay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void settle(String key, String namespace, String name, String image) {
        if (closed || !image.equals(seen.get(key))) {
            return;
        }
        switch (behaviour) {
            case SILENT -> {
                // OLM is down: no verdict.
            }
            case FAIL -> report(namespace, name, "TRANSIENT_FAILURE");
            case PULL -> report(namespace, name, pullable(image) ? "READY" : "TRANSIENT_FAILURE");
        }
    }

    /** Whether a node of this cluster can pull {@code image}: a manifest {@code HEAD} at each candidate. */
    boolean pullable(String image) {
        ImageReference reference;
        try {
            reference = ImageReference.parse(image);
        } catch (IllegalArgumentException invalid) {
            return false;
        }
        for (ImageReference candidate : PullSources.candidates(reference, mirrorRules())) {
            try {
                if (registry.hasManifest(candidate)) {
                    return true;
                }
            } catch (RegistryException unreachable) {
                // Try the next mirror, as CRI-O does.
            }
        }
        return false;
    }

    List<MirrorRule> mirrorRules() {
        List<MirrorRule> rules = new ArrayList<>();
        rules.addAll(rules(OpenShiftApis.IMAGE_CONTENT_SOURCE_POLICY, "repositoryDigestMirrors"));
        if (digestMirrorSets) {
            rules.addAll(rules(OpenShiftApis.IMAGE_DIGEST_MIRROR_SET, "imageDigestMirrors"));
        }
        return rules;
    }

    private List<MirrorRule> rules(CustomResourceDefinitionContext type, String field) {
        List<MirrorRule> rules = new ArrayList<>();
        for (GenericKubernetesResource set : client.genericKubernetesResources(type).list().getItems()) {
            for (Map<String, Object> entry : Resources.list(set, "spec", field)) {
                Object source = entry.get("source");
                Object mirrors = entry.get("mirrors");
                if (source instanceof String s && mirrors instanceof List<?> list) {
                    rules.add(new MirrorRule(s, list.stream().map(String::valueOf).toList()));
                }
            }
        }
        return rules;
    }

    private void report(String namespace, String name, String state) {
        String lastConnect = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String status = """
                {"status":{"connectionState":{"address":"%s.%s.svc:50051","lastConnect":"%s","lastObservedState":"%s"}}}"""
                .formatted(name, namespace, lastConnect, state);
        try {
            client.genericKubernetesResources(OpenShiftApis.CATALOG_SOURCE).inNamespace(namespace).withName(name)
                    .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), status);
        } catch (KubernetesClientException gone) {
            // Deleted meanwhile, or the API server is failing: OLM would retry on the next change.
        }
    }

    @Override
    public void close() {
        closed = true;
        if (ownExecutor) {
            executor.shutdownNow();
        } else if (resyncing != null) {
            resyncing.cancel(false);
        }
        Watch current = watch;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public String toString() {
        return "SimulatedOlm[" + clusterName + " " + behaviour + "]";
    }
}
