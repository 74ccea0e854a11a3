package dev.catalogautopilot.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catalogautopilot.events.rollout.RolloutCompleted;
import dev.catalogautopilot.testing.cluster.SimulatedCluster;
import dev.catalogautopilot.testing.cluster.SimulatedFleet;
import dev.catalogautopilot.testing.kafka.ReceivedEvent;
import dev.catalogautopilot.testing.postgres.TestDatabase;
import dev.catalogautopilot.testing.process.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Benchmark (run by {@code rollout-service/bench/rollout-bench.sh}, never by a test phase): the time from
 * publishing a catalog-mirrored event to receiving rollout-completed, for a fleet of simulated clusters in waves
 * whose OLM reports READY without delay. Each run starts the packaged service afresh and times its first rollout,
 * then a warm one, so first and warm runs alternate; it reports each run's peak heap (from the service's GC log)
 * and peak RSS, and the medians with their spread.
 *
 * <p>Arguments: {@code clusters waves runs maxParallel pollInterval}, default {@code 1000 1,100,899 3 50 100ms};
 * the first wave (the canary) runs one cluster at a time, the others {@code maxParallel}.
 */
public final class RolloutBenchmark {

    private static final String NS = SimulatedCluster.MARKETPLACE;
    private static final Pattern GC_PAUSE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private RolloutBenchmark() {
    }

    private record Run(double firstSeconds, double warmSeconds, long firstMedianMs, long warmMedianMs,
            double requestsPerCluster, long peakHeapMb, long peakRssMb, double firstCpuSeconds,
            double warmCpuSeconds) {
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int[] waves = Arrays.stream((args.length > 1 ? args[1] : "1,100,899").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int maxParallel = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        String poll = args.length > 4 ? args[4] : "100ms";
        if (IntStream.of(waves).sum() != size) {
            throw new IllegalArgumentException("wave sizes " + Arrays.toString(waves) + " do not add up to " + size);
        }
        int[] waveOf = new int[size];
        for (int wave = 0, next = 0; wave < waves.length; wave++) {
            for (int i = 0; i < waves[wave]; i++) {
                waveOf[next++] = wave;
            }
        }
        Instant fleetStart = Instant.now();
        try (RolloutFixture fixture = new RolloutFixture();
                SimulatedFleet fleet = SimulatedFleet.start(size, i -> SimulatedCluster.builder(String.format("c%04d", i))
                        .label("wave", "w" + waveOf[i]).readyDelay(Duration.ZERO)
                        .olmResync(Duration.ofSeconds(10)))) {
            System.out.printf("simulated fleet: %d clusters started in %.1f s; bench JVM %d threads, RSS %d MB%n",
                    size, Duration.between(fleetStart, Instant.now()).toMillis() / 1000.0, Thread.activeCount(),
                    rssMb(ProcessHandle.current().pid(), "VmRSS"));
            Map<String, String> properties = new LinkedHashMap<>(fixture.serviceProperties());
            properties.put("rollout.verification.poll-interval", poll);
            properties.put("rollout.lease", "15s");
            properties.put("rollout.cluster-threads", String.valueOf(maxParallel));
            properties.put("quarkus.log.category.\"dev.catalogautopilot\".level", "WARN");
            properties.putAll(fleet.rolloutProperties());
            for (int wave = 0; wave < waves.length; wave++) {
                String prefix = "rollout.waves[" + wave + "].";
                properties.put(prefix + "name", wave == 0 ? "canary" : "wave-" + wave);
                properties.put(prefix + "selector", "wave=w" + wave);
                properties.put(prefix + "max-parallel", String.valueOf(wave == 0 ? 1 : maxParallel));
            }
            Map<String, String> database = TestDatabase.create("rollout_bench").quarkusConfig();
            System.out.printf("waves %s, max-parallel %d (canary 1), READY delay 0, poll interval %s, service "
                    + "-Xmx1g%n", Arrays.toString(waves), maxParallel, poll);
            System.out.println("| run | first rollout after start | warm rollout | service CPU (first / warm) "
                    + "| cluster start → verified, median (first / warm) | API requests / cluster (warm) | peak heap "
                    + "| peak RSS |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            ExecutorService seeders = Executors.newFixedThreadPool(8);
            List<Run> results = new ArrayList<>();
            try {
                for (int run = 1; run <= runs; run++) {
                    Run result = run(fixture, fleet, seeders, properties, database, run);
                    results.add(result);
                    System.out.printf("| %d | %.1f s | %.1f s | %.1f s / %.1f s | %d ms / %d ms | %.1f | %d MB | %d MB |%n",
                            run, result.firstSeconds(), result.warmSeconds(), result.firstCpuSeconds(),
                            result.warmCpuSeconds(), result.firstMedianMs(),
                            result.warmMedianMs(), result.requestsPerCluster(), result.peakHeapMb(),
                            result.peakRssMb());
                }
            } finally {
                seeders.shutdownNow();
            }
            System.out.printf("median (spread) of %d: first %s s, warm %s s, service CPU first %s s, warm %s s, "
                    + "peak heap %s MB, peak RSS %s MB%n", runs,
                    summary(results.stream().mapToDouble(Run::firstSeconds).toArray()),
                    summary(results.stream().mapToDouble(Run::warmSeconds).toArray()),
                    summary(results.stream().mapToDouble(Run::firstCpuSeconds).toArray()),
                    summary(results.stream().mapToDouble(Run::warmCpuSeconds).toArray()),
                    summary(results.stream().mapToDouble(Run::peakHeapMb).toArray()),
                    summary(results.stream().mapToDouble(Run::peakRssMb).toArray()));
            ReceivedEvent largest = fixture.events.all().stream()
                    .max((a, b) -> Integer.compare(a.value().length, b.value().length)).orElseThrow();
            System.out.printf("largest rollout event: %s, %d bytes%n", largest.type(), largest.value().length);
        }
        System.exit(0);
    }

    private static Run run(RolloutFixture fixture, SimulatedFleet fleet, ExecutorService seeders,
            Map<String, String> properties, Map<String, String> database, int run) throws Exception {
        String first = seed(fixture, fleet, seeders, "first-" + run);
        String warm = seed(fixture, fleet, seeders, "warm-" + run);
        Path workDir = Files.createTempDirectory("rollout-bench-");
        Path gcLog = workDir.resolve("gc.log");
        ServiceProcess service = ServiceProcess.builder("rollout-service")
                .jar(Path.of(System.getProperty("catalogautopilot.app",
                        "rollout-service/target/quarkus-app/quarkus-run.jar")).toAbsolutePath())
                .workDir(workDir)
                .jvmOptions(List.of("-Xmx1g", "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc:file=" + gcLog))
                .startupTimeout(Duration.ofMinutes(3))
                .properties(database)
                .properties(properties)
                .properties(RolloutFixture.catalogs(first, warm))
                .start();
        try {
            double cpuAtStart = cpuSeconds(service.pid());
            long[] firstResult = rollout(fixture, fleet, service, first, false);
            double cpuAfterFirst = cpuSeconds(service.pid());
            long[] warmResult = rollout(fixture, fleet, service, warm, true);
            double cpuAfterWarm = cpuSeconds(service.pid());
            long rss = rssMb(service.pid(), "VmHWM");
            return new Run(firstResult[0] / 1000.0, warmResult[0] / 1000.0, firstResult[1], warmResult[1],
                    warmResult[2] / 10.0, peakHeapMb(gcLog), rss, cpuAfterFirst - cpuAtStart,
                    cpuAfterWarm - cpuAfterFirst);
        } finally {
            service.close();
        }
    }

    /** Pushes a catalog's old and new image, gives every cluster a READY CatalogSource at the old one. */
    private static String seed(RolloutFixture fixture, SimulatedFleet fleet, ExecutorService seeders, String name)
            throws Exception {
        String catalog = "bench-" + name + "-" + System.nanoTime() % 100_000;
        String old = fixture.pushCatalogImage("olm/" + catalog, "v1");
        fixture.pushCatalogImage("olm/" + catalog, "v2");
        List<Future<?>> seeded = new ArrayList<>();
        for (SimulatedCluster cluster : fleet.clusters()) {
            seeded.add(seeders.submit(() -> cluster.seedCatalogSource(NS, catalog, old)));
        }
        for (Future<?> one : seeded) {
            one.get();
        }
        return catalog;
    }

    /** Rolls {@code catalog} out; returns its wall time (ms), median cluster time (ms), requests per cluster ×10. */
    private static long[] rollout(RolloutFixture fixture, SimulatedFleet fleet, ServiceProcess service,
            String catalog, boolean countRequests) {
        String next = fixture.pushCatalogImage("olm/" + catalog, "v2");
        long requestsBefore = countRequests ? requests(fleet) : 0;
        Instant published = Instant.now();
        fixture.publish(fixture.mirrored(catalog, next));
        RolloutCompleted completed = fixture.await(catalog, RolloutCompleted.class, c -> true, 1,
                Duration.ofMinutes(10)).get(0).data(RolloutCompleted.class);
        long total = Duration.between(published, Instant.now()).toMillis();
        if (completed.clusters() != fleet.size()) {
            throw new IllegalStateException("rollout of " + catalog + " updated " + completed.clusters() + " of "
                    + fleet.size() + " clusters");
        }
        JsonNode rollout = fixture.get(service.baseUrl() + "/rollouts/" + completed.rolloutId());
        List<Long> perCluster = new ArrayList<>();
        rollout.path("waves").forEach(w -> w.path("clusters").forEach(c -> perCluster.add(Duration.between(
                Instant.parse(c.path("startedAt").asText()), Instant.parse(c.path("finishedAt").asText())).toMillis())));
        perCluster.sort(Long::compare);
        // The OLM's own traffic (watch, resync, status) is included: it is the same for any rollout service.
        long requests = countRequests ? (requests(fleet) - requestsBefore) * 10 / fleet.size() : 0;
        return new long[] {total, perCluster.get(perCluster.size() / 2), requests};
    }

    private static long requests(SimulatedFleet fleet) {
        return fleet.clusters().stream().mapToLong(c -> c.requests().count(r -> true)).sum();
    }

    /** The most heap in use before any collection of the service's life, from its {@code -Xlog:gc} lines. */
    private static long peakHeapMb(Path gcLog) throws IOException {
        long peak = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher pause = GC_PAUSE.matcher(line);
            if (pause.find()) {
                peak = Math.max(peak, Long.parseLong(pause.group(1)));
            }
        }
        return peak;
    }

    /** CPU time (user and system) the process has used, from {@code /proc/<pid>/stat}: a figure the other load on a
     * shared machine does not inflate the way it inflates wall time. */
    private static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime are the 14th and 15th fields, in clock ticks of 1/100 s.
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException e) {
            return -1;
        }
    }

    private static long rssMb(long pid, String field) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith(field))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    private static String summary(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format("%.1f (%.1f–%.1f)", sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1]);
    }
}
