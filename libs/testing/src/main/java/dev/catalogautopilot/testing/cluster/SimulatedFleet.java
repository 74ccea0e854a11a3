package dev.catalogautopilot.testing.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Many simulated clusters, started in parallel and closed together.
 *
 * <pre>{@code
 * try (SimulatedFleet fleet = SimulatedFleet.start(10,
 *         i -> SimulatedCluster.builder("cluster-" + i).label("ring", i == 0 ? "canary" : "main"))) {
 *     serviceConfig.putAll(fleet.rolloutProperties());   // rollout.clusters.<name>.kubeconfig, context, labels
 * }
 * }</pre>
 */
public final class SimulatedFleet implements AutoCloseable {

    private static final int STARTERS = 4;

    private final Map<String, SimulatedCluster> clusters;

    private SimulatedFleet(Map<String, SimulatedCluster> clusters) {
        this.clusters = clusters;
    }

    /** Starts {@code size} clusters; {@code cluster} configures cluster {@code i} (0-based). Names must differ. */
    public static SimulatedFleet start(int size, IntFunction<SimulatedCluster.Builder> cluster) {
        ExecutorService starters = Executors.newFixedThreadPool(STARTERS, r -> {
            Thread thread = new Thread(r, "simulated-fleet-start");
            thread.setDaemon(true);
            return thread;
        });
        List<Future<SimulatedCluster>> started = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                SimulatedCluster.Builder builder = cluster.apply(i);
                started.add(starters.submit(builder::start));
            }
            Map<String, SimulatedCluster> byName = new LinkedHashMap<>();
            for (Future<SimulatedCluster> future : started) {
                SimulatedCluster one = future.get();
                if (byName.put(one.name(), one) != null) {
                    throw new IllegalArgumentException("two simulated clusters are named " + one.name());
                }
            }
            return new SimulatedFleet(byName);
        } catch (ExecutionException | InterruptedException | RuntimeException e) {
            started.forEach(f -> closeQuietly(f));
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException("simulated clusters failed to start", e);
        } finally {
            starters.shutdown();
        }
    }

    public List<SimulatedCluster> clusters() {
        return List.copyOf(clusters.values());
    }

    public SimulatedCluster cluster(String name) {
        SimulatedCluster cluster = clusters.get(name);
        if (cluster == null) {
            throw new NoSuchElementException("no simulated cluster " + name + " in " + clusters.keySet());
        }
        return cluster;
    }

    public int size() {
        return clusters.size();
    }

    /** Sets every cluster's OLM ready delay. */
    public void readyDelay(Duration delay) {
        clusters.values().forEach(c -> c.olm().readyDelay(delay));
    }

    /**
     * The rollout-service settings naming these clusters: {@code rollout.clusters.<name>.kubeconfig},
     * {@code .context} and {@code .labels.<key>}.
     */
    public Map<String, String> rolloutProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        for (SimulatedCluster cluster : clusters.values()) {
            String prefix = "rollout.clusters." + cluster.name() + ".";
            properties.put(prefix + "kubeconfig", cluster.kubeconfig().toString());
            properties.put(prefix + "context", cluster.context());
            // A key with dots (topology.kubernetes.io/zone) is quoted, as map keys in configuration must be.
            cluster.labels().forEach((key, value) -> properties.put(
                    prefix + "labels." + (key.contains(".") ? "\"" + key + "\"" : key), value));
        }
        return properties;
    }

    @Override
    public void close() {
        clusters.values().forEach(SimulatedCluster::close);
    }

    private static void closeQuietly(Future<SimulatedCluster> future) {
        try {
            future.get().close();
        } catch (ExecutionException | InterruptedException | RuntimeException ignored) {
            // it did not start
        }
    }
}
