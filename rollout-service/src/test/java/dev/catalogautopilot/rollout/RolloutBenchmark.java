package dev.catalogautopilot.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catalogautopilot.events.rollout.RolloutCompleted;
import dev.catalogautopilot.testing.cluster.SimulatedCluster;
import dev.catalogautopilot.testing.cluster.SimulatedFleet;
import dev.catalogautopilot.testing.postgres.TestDatabase;
import dev.catalogautopilot.testing.process.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark (run by {@code rollout-service/bench/rollout-bench.sh}, never by a test phase): the time from
 * publishing a catalog-mirrored event to receiving rollout-completed, for a fleet of simulated clusters in three
 * waves whose OLM reports READY without delay, and the service's time per cluster.
 *
 * <p>Arguments: {@code clusters runs pollInterval}, default {@code 50 3 100ms}.
 */
public final class RolloutBenchmark {

    private static final String NS = SimulatedCluster.MARKETPLACE;

    private RolloutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String poll = args.length > 2 ? args[2] : "100ms";
        int early = Math.max(1, size / 5);
        try (RolloutFixture fixture = new RolloutFixture();
                SimulatedFleet fleet = SimulatedFleet.start(size, i -> SimulatedCluster.builder(String.format("c%03d", i))
                        .label("ring", i == 0 ? "canary" : i <= early ? "early" : "late")
                        .readyDelay(Duration.ZERO))) {
            Map<String, String> properties = new LinkedHashMap<>(fixture.serviceProperties());
            properties.put("rollout.verification.poll-interval", poll);
            properties.putAll(fleet.rolloutProperties());
            properties.putAll(Map.of(
                    "rollout.waves[0].name", "canary", "rollout.waves[0].selector", "ring=canary",
                    "rollout.waves[1].name", "early", "rollout.waves[1].selector", "ring=early",
                    "rollout.waves[1].max-parallel", "10",
                    "rollout.waves[2].name", "late", "rollout.waves[2].selector", "ring=late",
                    "rollout.waves[2].max-parallel", "20",
                    "quarkus.log.category.\"dev.catalogautopilot\".level", "WARN"));
            ServiceProcess service = ServiceProcess.builder("rollout-service")
                    .jar(Path.of(System.getProperty("catalogautopilot.app",
                            "rollout-service/target/quarkus-app/quarkus-run.jar")).toAbsolutePath())
                    .properties(TestDatabase.create("rollout_bench").quarkusConfig())
                    .properties(properties)
                    .start();
            try {
                System.out.printf("fleet: %d clusters in waves of 1, %d (10 at once), %d (20 at once); "
                        + "READY delay 0; poll interval %s%n", size, early, size - 1 - early, poll);
                System.out.println("| run | CatalogMirrored → RolloutCompleted | per cluster (wall / clusters) "
                        + "| cluster start → verified, median | p95 | max | API requests per cluster |");
                System.out.println("|---|---|---|---|---|---|---|");
                for (int run = 1; run <= runs; run++) {
                    measure(fixture, fleet, service, run);
                }
            } finally {
                service.close();
            }
        }
        System.exit(0);
    }

    private static void measure(RolloutFixture fixture, SimulatedFleet fleet, ServiceProcess service, int run) {
        String catalog = "bench-" + run + "-" + System.nanoTime() % 100_000;
        String old = fixture.pushCatalogImage("olm/" + catalog, "v1");
        String next = fixture.pushCatalogImage("olm/" + catalog, "v2");
        fleet.clusters().parallelStream().forEach(c -> c.seedCatalogSource(NS, catalog, old));
        long requestsBefore = fleet.clusters().stream().mapToLong(c -> c.requests().all().size()).sum();

        Instant published = Instant.now();
        fixture.publish(fixture.mirrored(catalog, next));
        RolloutCompleted completed = fixture.await(catalog, RolloutCompleted.class, c -> true, 1,
                Duration.ofMinutes(5)).get(0).data(RolloutCompleted.class);
        Duration total = Duration.between(published, Instant.now());

        JsonNode rollout = fixture.get(service.baseUrl() + "/rollouts/" + completed.rolloutId());
        List<Long> perCluster = new ArrayList<>();
        rollout.path("waves").forEach(w -> w.path("clusters").forEach(c -> perCluster.add(Duration.between(
                Instant.parse(c.path("startedAt").asText()), Instant.parse(c.path("finishedAt").asText())).toMillis())));
        perCluster.sort(Long::compare);
        // The OLM's own traffic (watch, resync, status) is included: it is the same for any rollout service.
        long requests = fleet.clusters().stream().mapToLong(c -> c.requests().all().size()).sum() - requestsBefore;
        System.out.printf("| %d | %.2f s | %d ms | %d ms | %d ms | %d ms | %.1f |%n", run, total.toMillis() / 1000.0,
                total.toMillis() / fleet.size(), perCluster.get(perCluster.size() / 2),
                perCluster.get((int) Math.ceil(perCluster.size() * 0.95) - 1), perCluster.get(perCluster.size() - 1),
                (double) requests / fleet.size());
    }
}
