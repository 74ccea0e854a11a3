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
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntFunction;

/**
 * Many simulated clusters, started in parallel and closed together. They share what a real fleet would not but a
 * simulation can: one mock API server (port, Vert.x) per {@value #CLUSTERS_PER_SERVER} clusters, each cluster under
 * its own path, and one small scheduler for all their OLMs, so a thousand clusters cost about a hundred threads,
 * not four thousand.
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
    /** Clusters served by one mock API server, i.e. by one event-loop thread. */
    static final int CLUSTERS_PER_SERVER = 50;
    /** Threads of the OLMs' shared scheduler (their pull checks block on registry requests). */
    private static final int OLM_THREADS = 8;

    private final Map<String, SimulatedCluster> clusters;
    private final List<ApiServerHost> hosts;
    private final ScheduledExecutorService olms;

    private SimulatedFleet(Map<String, SimulatedCluster> clusters, List<ApiServerHost> hosts,
            ScheduledExecutorService olms) {
        this.clusters = clusters;
        this.hosts = hosts;
        this.olms = olms;
    }

    /** Starts {@code size} clusters; {@code cluster} configures cluster {@code i} (0-based). Names must differ. */
    public static SimulatedFleet start(int size, IntFunction<SimulatedCluster.Builder> cluster) {
        ExecutorService starters = Executors.newFixedThreadPool(STARTERS, r -> {
            Thread thread = new Thread(r, "simulated-fleet-start");
            thread.setDaemon(true);
            return thread;
        });
        List<Future<SimulatedCluster>> started = new ArrayList<>();
        List<ApiServerHost> hosts = new ArrayList<>();
        ScheduledExecutorService olms = Executors.newScheduledThreadPool(OLM_THREADS, r -> {
            Thread thread = new Thread(r, "simulated-olm");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int i = 0; i < size; i++) {
                if (i % CLUSTERS_PER_SERVER == 0) {
                    hosts.add(new ApiServerHost());
                }
                ApiServerHost host = hosts.get(hosts.size() - 1);
                SimulatedCluster.Builder builder = cluster.apply(i);
                started.add(starters.submit(() -> builder.start(host, olms)));
            }
            Map<String, SimulatedCluster> byName = new LinkedHashMap<>();
            for (Future<SimulatedCluster> future : started) {
                SimulatedCluster one = future.get();
                if (byName.put(one.name(), one) != null) {
                    throw new IllegalArgumentException("two simulated clusters are named " + one.name());
                }
            }
            return new SimulatedFleet(byName, hosts, olms);
        } catch (ExecutionException | InterruptedException | RuntimeException e) {
            started.forEach(f -> closeQuietly(f));
            hosts.forEach(ApiServerHost::close);
            olms.shutdownNow();
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
        hosts.forEach(ApiServerHost::close);
        olms.shutdownNow();
    }

    private static void closeQuietly(Future<SimulatedCluster> future) {
        try {
            future.get().close();
        } catch (ExecutionException | InterruptedException | RuntimeException ignored) {
            // it did not start
        }
    }
}
