package dev.catalogautopilot.builder.bench;

import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.Topics;
import dev.catalogautopilot.events.catalog.CatalogBuildFailed;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.catalog.PackageSnapshot;
import dev.catalogautopilot.events.catalog.UpstreamSource;
import dev.catalogautopilot.events.catalog.WatchTrigger;
import dev.catalogautopilot.events.kafka.KafkaCloudEvents;
import dev.catalogautopilot.testing.appregistry.FixtureAppRegistry;
import dev.catalogautopilot.testing.appregistry.PublishedRelease;
import dev.catalogautopilot.testing.kafka.EventStream;
import dev.catalogautopilot.testing.kafka.ReceivedEvent;
import dev.catalogautopilot.testing.kafka.SharedKafka;
import dev.catalogautopilot.testing.postgres.TestDatabase;
import dev.catalogautopilot.testing.process.ServiceProcess;
import dev.catalogautopilot.testing.registry.LocalRegistry;
import dev.catalogautopilot.testing.upstream.ImagePusher;
import dev.catalogautopilot.testing.upstream.Platform;
import dev.catalogautopilot.testing.upstream.UpstreamSimulator;
import dev.catalogautopilot.testing.Fixtures;
import dev.catalogautopilot.testing.process.ProcessMemory;
import dev.catalogautopilot.testing.scale.ScaleCatalogGenerator;
import dev.catalogautopilot.testing.scale.ScaleSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Not a test: the benchmark bench/run.sh runs (its name keeps it out of the normal test runs). Times, from
 * publishing a change event to receiving the build event, a cold build on two platforms, a rebuild after one
 * package changed, and a no-change rebuild; then prints the builder JVM's peak heap (from its GC log) and peak
 * resident set. Prints lines starting with BENCH.
 *
 * <p>By default the catalog is the full fixture catalog (25 App Registry packages). With the environment variable
 * {@value #SIZE} set to a {@link ScaleSpec} ({@code moderate}, {@code target}, a package count, …) it is a
 * generated catalog of that size, and the builder runs with the production heap limit {@value #MAX_HEAP}.
 */
class BuildBenchmark {

    static final String SIZE = "BENCH_SIZE";
    /** Runs, each from nothing (new service, database, work directory, mirror registry); 1 by default. */
    static final String RUNS = "BENCH_RUNS";
    /** Extra JVM options of the builder, space-separated. */
    static final String JVM_OPTIONS = "BENCH_BUILDER_JVM_OPTS";
    static final String MAX_HEAP = "1g";

    @Test
    void buildBenchmark() throws Exception {
        String size = System.getenv(SIZE);
        var upstream = UpstreamSimulator.shared();
        Path packages = upstream.operatorsDir();
        String label = "the fixture catalog (25 packages)";
        if (size != null && !size.isBlank()) {
            ScaleSpec spec = ScaleSpec.parse(size);
            packages = Files.createTempDirectory("bench-scale").resolve("packages");
            long start = System.nanoTime();
            // The builder never pulls the referenced images: they need not exist.
            ScaleCatalogGenerator.generate(spec, Fixtures.operators(), "upstream.invalid:5000", packages);
            label = spec.toString();
            System.out.printf("BENCH generated %s in %.1f s%n", label, (System.nanoTime() - start) / 1e9);
        }
        int runs = Integer.parseInt(System.getenv().getOrDefault(RUNS, "1"));
        Map<String, List<Double>> times = new java.util.LinkedHashMap<>();
        try (FixtureAppRegistry appRegistry = FixtureAppRegistry.builder().packagesDir(packages).start();
                EventStream events = EventStream.onSharedBroker(Topics.CATALOG_BUILDS);
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                        SharedKafka.bootstrapServers(), "acks", "all"), new StringSerializer(),
                        new ByteArraySerializer())) {
            // Every archive made up front, so the cold build does not time their making.
            appRegistry.prepareArchives();
            int count = appRegistry.packageNames().size();
            String changed = appRegistry.packageNames().contains("etcd") ? "etcd" : appRegistry.packageNames().get(0);
            for (int run = 1; run <= runs; run++) {
                System.out.printf("BENCH run %d of %d%n", run, runs);
                // Each run from nothing: a new builder, database, work directory and mirror registry.
                try (LocalRegistry mirror = LocalRegistry.start()) {
                    var base = mirror.image("base/opm:v1");
                    ImagePusher.loopback().pushMultiArchBase(base, List.of(Platform.LINUX_AMD64,
                            Platform.LINUX_ARM64));
                    String catalog = "bench-" + System.nanoTime() % 100000;
                    String p = "builder.catalogs." + catalog + ".";
                    try (ServiceProcess builder = ServiceProcess.builder("builder-service")
                            .jvmOptions(jvmOptions())
                            .properties(TestDatabase.create("builderbench").quarkusConfig())
                            .property("kafka.bootstrap.servers", SharedKafka.bootstrapServers())
                            .property("builder.work-dir", Files.createTempDirectory("bench-work").toString())
                            .property(p + "target", mirror.host() + "/olm").property(p + "tag", "v2")
                            .property(p + "base-image", base.toString())
                            .property(p + "upstream.url", appRegistry.baseUrl())
                            .property(p + "upstream.namespace", appRegistry.namespace())
                            .property(p + "platforms", "linux/amd64,linux/arm64")
                            .property(p + "insecure-registries", mirror.host())
                            .start()) {
                        System.out.printf("BENCH catalog: %s; builder -Xmx%s%n", label, MAX_HEAP);
                        CatalogBuilt cold = time("cold (fetch " + count + " packages, convert, render, build 2"
                                + " platforms, push)", 1, catalog, appRegistry, producer, events, builder, times);
                        System.out.printf("BENCH cold build: %d packages, %d channels, %d bundles%n",
                                cold.counts().packages(), cold.counts().channels(), cold.counts().bundles());
                        appRegistry.publishRelease(changed);
                        time("one package changed (" + changed + " re-fetched, " + (count - 1)
                                + " from the cache)", 2, catalog, appRegistry, producer, events, builder, times);
                        CatalogBuilt same = time("nothing changed (all from the cache)", 3, catalog, appRegistry,
                                producer, events, builder, times);
                        CatalogBuilt again = time("nothing changed, again (same digest expected)", 4, catalog,
                                appRegistry, producer, events, builder, times);
                        System.out.printf("BENCH no-change rebuilds give the same digest: %s%n",
                                same.image().equals(again.image()));
                        record(times, "builder peak heap (MiB)", ProcessMemory.peakHeap(builder.workDir()
                                .resolve("gc.log")));
                        record(times, "builder peak RSS (MiB)", ProcessMemory.peakRss(builder.pid()));
                        builder.logs().lines().filter(l -> l.contains("staged in") || l.contains("rendered in")
                                || l.contains("built and pushed in")).forEach(l -> System.out.println("BENCH   log: "
                                        + l.substring(Math.max(0, l.indexOf("catalog " + catalog)))));
                    }
                }
            }
        }
        System.out.printf("BENCH summary over %d run(s): median (min-max)%n", runs);
        times.forEach((what, values) -> {
            List<Double> sorted = values.stream().sorted().toList();
            double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                    : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
            System.out.printf("BENCH   %-60s %8.1f (%.1f-%.1f)  runs: %s%n", what, median, sorted.get(0),
                    sorted.get(sorted.size() - 1), values);
        });
    }

    /** The production heap limit and a GC log, plus {@value #JVM_OPTIONS} (for example a flight recording). */
    private static List<String> jvmOptions() {
        List<String> options = new ArrayList<>(List.of("-Xmx" + MAX_HEAP, "-XX:+UseSerialGC", "-Xlog:gc:file=gc.log"));
        String extra = System.getenv(JVM_OPTIONS);
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return options;
    }

    private static void record(Map<String, List<Double>> times, String what, OptionalLong bytes) {
        if (bytes.isPresent()) {
            times.computeIfAbsent(what, k -> new ArrayList<>()).add(bytes.getAsLong() / (1024.0 * 1024.0));
        }
    }

    private static String mib(OptionalLong bytes) {
        return bytes.isPresent() ? String.format("%.0f MiB", bytes.getAsLong() / (1024.0 * 1024.0)) : "n/a";
    }

    private static CatalogBuilt time(String what, int n, String catalog, FixtureAppRegistry registry,
            KafkaProducer<String, byte[]> producer, EventStream events, ServiceProcess builder,
            Map<String, List<Double>> times) throws Exception {
        List<PackageSnapshot> packages = new ArrayList<>();
        for (String name : registry.packageNames()) {
            PublishedRelease latest = registry.latest(name);
            packages.add(new PackageSnapshot(name, latest.release(),
                    registry.releases(name).stream().map(PublishedRelease::release).toList(), "sha256:" + latest.digest()));
        }
        CatalogChanged change = new CatalogChanged(catalog, new UpstreamSource.AppRegistry(registry.baseUrl(),
                registry.namespace()), WatchTrigger.POLL, "rev-" + n, null, packages, List.of(), List.of(), List.of(),
                null, Instant.now());
        long start = System.nanoTime();
        producer.send(KafkaCloudEvents.toProducerRecord(EventEnvelope.first(EventSources.WATCHER, catalog, change,
                "bench-" + n + "-" + start, Clock.systemUTC()))).get();
        List<ReceivedEvent> outcomes = events.await(e -> catalog.equals(e.envelope().subject())
                && (e.envelope().data() instanceof CatalogBuilt || e.envelope().data() instanceof CatalogBuildFailed),
                n, Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (outcomes.get(n - 1).envelope().data() instanceof CatalogBuildFailed failed) {
            throw new AssertionError("build " + n + " failed after " + seconds + " s: " + failed.reason() + " "
                    + failed.details());
        }
        CatalogBuilt event = outcomes.get(n - 1).data(CatalogBuilt.class);
        times.computeIfAbsent(what.replaceAll(" \\(.*", "") + " (s)", k -> new ArrayList<>()).add(seconds);
        System.out.printf("BENCH %-80s %6.1f s  heap so far %s  %s%n", what, seconds,
                mib(ProcessMemory.peakHeap(builder.workDir().resolve("gc.log"))), event.image());
        return event;
    }
}
