package dev.catalogautopilot.watcher.bench;

import dev.catalogautopilot.testing.Fixtures;
import dev.catalogautopilot.testing.appregistry.FixtureAppRegistry;
import dev.catalogautopilot.testing.kafka.SharedKafka;
import dev.catalogautopilot.testing.postgres.TestDatabase;
import dev.catalogautopilot.testing.process.ServiceProcess;
import dev.catalogautopilot.testing.scale.ScaleCatalog;
import dev.catalogautopilot.testing.scale.ScaleCatalogGenerator;
import dev.catalogautopilot.testing.scale.ScaleSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Not a test: the benchmark {@code watcher-service/bench/run.sh} runs (its name keeps it out of the normal test
 * runs). The packaged watcher polls a fixture App Registry serving a generated catalog ({@value #SIZE}, 300
 * packages in the target's shape by default); the poll times come from the watcher's own
 * {@code watcher.poll.duration} timer (listing read to state and event recorded): the first poll (every archive
 * downloaded and verified), polls with nothing changed, and a poll after one package got a new release. Extra
 * watcher properties come from {@value #PROPERTIES} ({@code key=value,key=value}). The fixture sets TCP_NODELAY
 * ({@code LoopbackHttpServer}). Prints lines starting with BENCH.
 */
class PollBenchmark {

    static final String SIZE = "BENCH_SIZE";
    static final String PROPERTIES = "BENCH_WATCHER_PROPERTIES";
    private static final String CATALOG = "bench";
    private static final Duration WITHIN = Duration.ofMinutes(10);
    private static final int UNCHANGED_POLLS = 3;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void pollBenchmark() throws Exception {
        String size = System.getenv(SIZE);
        ScaleSpec spec = size == null || size.isBlank() ? ScaleSpec.ofPackages(300) : ScaleSpec.parse(size);
        Path work = Files.createTempDirectory("poll-bench-");
        TestDatabase db = TestDatabase.create("watcher_bench");
        try {
            long started = System.nanoTime();
            ScaleCatalog catalog = ScaleCatalogGenerator.generate(spec, Fixtures.operators(), "127.0.0.1:5000",
                    work.resolve("catalog"));
            say("generated %s in %.1f s", spec, seconds(started));
            try (FixtureAppRegistry registry = FixtureAppRegistry.builder().packagesDir(catalog.packagesDir())
                    .start()) {
                started = System.nanoTime();
                registry.prepareArchives();
                say("archives of %d packages built in %.1f s", registry.packageNames().size(), seconds(started));
                ServiceProcess.Builder builder = ServiceProcess.builder("watcher-service")
                        .jvmOptions(java.util.List.of("-Xmx1g", "-XX:+UseSerialGC"))
                        .properties(db.quarkusConfig())
                        .property("kafka.bootstrap.servers", SharedKafka.bootstrapServers())
                        .property("watcher.catalogs." + CATALOG + ".type", "app-registry")
                        .property("watcher.catalogs." + CATALOG + ".url", registry.baseUrl())
                        .property("watcher.catalogs." + CATALOG + ".namespace", registry.namespace())
                        .property("watcher.catalogs." + CATALOG + ".poll-interval", "1s");
                String extra = System.getenv(PROPERTIES);
                if (extra != null && !extra.isBlank()) {
                    for (String pair : extra.split(",")) {
                        String[] kv = pair.split("=", 2);
                        builder.property(kv[0].trim(), kv[1].trim());
                        say("watcher property %s=%s", kv[0].trim(), kv[1].trim());
                    }
                }
                try (ServiceProcess watcher = builder.start()) {
                    Timer cold = await(watcher, "changed", 1);
                    say("first poll (%d packages, every archive verified): %.2f s", registry.packageNames().size(),
                            cold.sum());
                    Timer unchanged = await(watcher, "unchanged", UNCHANGED_POLLS);
                    say("poll with nothing changed: mean %.2f s over %d polls", unchanged.sum() / unchanged.count(),
                            unchanged.count());
                    registry.publishRelease(registry.packageNames().get(0));
                    Timer oneChanged = await(watcher, "changed", 2);
                    say("poll after one package changed: %.2f s", oneChanged.sum() - cold.sum());
                    // With the poll package's DEBUG log on: each poll's upstream read against its recording.
                    watcher.logs().lines().filter(l -> l.contains("upstream read in"))
                            .forEach(l -> say("%s", l.substring(l.indexOf("catalog "))));
                }
            }
        } finally {
            db.drop();
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Count and sum of the poll timer for one outcome, once it has counted at least {@code count} polls. */
    private static Timer await(ServiceProcess watcher, String outcome, int count) throws Exception {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            Timer timer = timer(watcher, outcome);
            if (timer.count() >= count) {
                return timer;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + count + " polls with outcome " + outcome + " within " + WITHIN);
    }

    private static Timer timer(ServiceProcess watcher, String outcome) throws IOException, InterruptedException {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(watcher.baseUrl() + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        long count = 0;
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (!line.contains("catalog=\"" + CATALOG + "\"") || !line.contains("outcome=\"" + outcome + "\"")) {
                continue;
            }
            double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.startsWith("watcher_poll_duration_seconds_count{")) {
                count = (long) value;
            } else if (line.startsWith("watcher_poll_duration_seconds_sum{")) {
                sum = value;
            }
        }
        return new Timer(count, sum);
    }

    private record Timer(long count, double sum) {
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void say(String format, Object... args) {
        System.out.println("BENCH " + String.format(format, args));
    }
}
