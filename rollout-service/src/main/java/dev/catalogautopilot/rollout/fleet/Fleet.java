package dev.catalogautopilot.rollout.fleet;

import dev.catalogautopilot.rollout.config.RolloutConfig;
import dev.catalogautopilot.rollout.config.RolloutConfig.CatalogConfig;
import dev.catalogautopilot.rollout.mirrorset.MirrorSetChoice;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.jboss.logging.Logger;

/** The configured fleet, its waves and the CatalogSource settings of each catalog, checked at startup. */
@Startup
@ApplicationScoped
public class Fleet {

    private static final Logger LOG = Logger.getLogger(Fleet.class);

    private final RolloutConfig config;
    private final List<ClusterDefinition> clusters;
    private final List<WaveDefinition> waves;

    public Fleet(RolloutConfig config) {
        this.config = config;
        this.clusters = clusters(config);
        this.waves = waves(config);
        if (!clusters.isEmpty() && waves.isEmpty()) {
            throw new IllegalArgumentException("rollout.clusters names " + clusters.size()
                    + " clusters but rollout.waves is empty: at least one wave is needed");
        }
        RolloutPlan plan = plan();
        if (!plan.unassigned().isEmpty()) {
            LOG.warnf("clusters %s match no wave and are never rolled out to", plan.unassigned());
        }
        LOG.infof("fleet of %d clusters in %d waves: %s", clusters.size(), plan.waves().size(),
                plan.waves().stream().map(w -> w.name() + "=" + w.clusters().size()).toList());
    }

    public List<ClusterDefinition> clusters() {
        return clusters;
    }

    public boolean contains(String name) {
        return clusters.stream().anyMatch(c -> c.name().equals(name));
    }

    public ClusterDefinition cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no cluster " + name + " in the fleet"));
    }

    /** The waves every new rollout gets. */
    public RolloutPlan plan() {
        return WavePlanner.plan(clusters, waves);
    }

    /** Whether {@code catalog} is one the service rolls out: listed under {@code rollout.catalogs}. */
    public boolean rollsOut(String catalog) {
        return config.catalogs().containsKey(catalog);
    }

    /** The CatalogSource of {@code catalog}: its configuration, with defaults named after the catalog. */
    public CatalogSourceSpec catalogSource(String catalog) {
        Optional<CatalogConfig> settings = Optional.ofNullable(config.catalogs().get(catalog));
        return new CatalogSourceSpec(
                settings.flatMap(CatalogConfig::namespace).orElse(config.catalogSourceNamespace()),
                settings.flatMap(CatalogConfig::catalogSource).orElse(catalog),
                settings.flatMap(CatalogConfig::displayName).orElse(catalog),
                settings.flatMap(CatalogConfig::publisher).orElse(config.publisher()),
                settings.map(CatalogConfig::mirrorSets).orElse(MirrorSetChoice.DETECT));
    }

    private static List<ClusterDefinition> clusters(RolloutConfig config) {
        List<ClusterDefinition> result = new ArrayList<>();
        for (Map.Entry<String, RolloutConfig.ClusterConfig> entry : config.clusters().entrySet()) {
            String name = entry.getKey();
            RolloutConfig.ClusterConfig cluster = entry.getValue();
            KubeconfigSource source;
            if (cluster.kubeconfig().isPresent() == cluster.kubeconfigSecret().isPresent()) {
                throw new IllegalArgumentException("cluster " + name
                        + ": set exactly one of rollout.clusters." + name + ".kubeconfig and .kubeconfig-secret");
            } else if (cluster.kubeconfig().isPresent()) {
                source = new KubeconfigSource.File(Path.of(cluster.kubeconfig().get()));
            } else {
                source = KubeconfigSource.Secret.parse(cluster.kubeconfigSecret().get(), cluster.kubeconfigSecretKey());
            }
            result.add(new ClusterDefinition(name, cluster.labels(), source, cluster.context(), cluster.mirrorSets()));
        }
        return List.copyOf(result);
    }

    private static List<WaveDefinition> waves(RolloutConfig config) {
        return config.waves().orElse(List.of()).stream()
                .map(w -> new WaveDefinition(w.name(), LabelSelector.parse(w.selector().orElse("")), w.maxParallel(),
                        w.verificationDeadline(), w.soak(), w.requiresApproval()))
                .toList();
    }
}
