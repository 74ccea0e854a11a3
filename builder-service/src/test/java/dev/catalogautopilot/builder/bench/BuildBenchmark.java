package dev.catalogautopilot.builder.bench;

import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.Topics;
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
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Not a test: the benchmark bench/run.sh runs (its name keeps it out of the normal test runs). Times, from
 * publishing a change event to receiving the build event, a cold build of the full fixture catalog on two
 * platforms, a rebuild after one package changed, and a no-change rebuild. Prints lines starting with BENCH.
 */
class BuildBenchmark {

    @Test
    void fullFixtureCatalog() throws Exception {
        var upstream = UpstreamSimulator.shared();
        try (FixtureAppRegistry appRegistry = FixtureAppRegistry.builder().packagesDir(upstream.operatorsDir()).start();
                LocalRegistry mirror = LocalRegistry.start();
                EventStream events = EventStream.onSharedBroker(Topics.CATALOG_BUILDS);
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                        SharedKafka.bootstrapServers(), "acks", "all"), new StringSerializer(),
                        new ByteArraySerializer())) {
            var base = mirror.image("base/opm:v1");
            ImagePusher.loopback().pushMultiArchBase(base, List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64));
            String catalog = "bench-" + System.nanoTime() % 100000;
            String p = "builder.catalogs." + catalog + ".";
            try (ServiceProcess builder = ServiceProcess.builder("builder-service")
                    .properties(TestDatabase.create("builderbench").quarkusConfig())
                    .property("kafka.bootstrap.servers", SharedKafka.bootstrapServers())
                    .property("builder.work-dir", Files.createTempDirectory("bench-work").toString())
                    .property(p + "target", mirror.host() + "/olm").property(p + "tag", "v2")
                    .property(p + "base-image", base.toString())
                    .property(p + "platforms", "linux/amd64,linux/arm64")
                    .property(p + "insecure-registries", mirror.host())
                    .start()) {
                time("cold (fetch 25 packages, convert, render, build 2 platforms, push)", 1, catalog, appRegistry,
                        producer, events);
                appRegistry.publishRelease("etcd");
                time("one package changed (etcd re-fetched, 24 from the cache)", 2, catalog, appRegistry, producer,
                        events);
                time("nothing changed (all from the cache, same digest)", 3, catalog, appRegistry, producer, events);
            }
        }
    }

    private static void time(String what, int n, String catalog, FixtureAppRegistry registry,
            KafkaProducer<String, byte[]> producer, EventStream events) throws Exception {
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
        List<ReceivedEvent> built = events.await(e -> catalog.equals(e.envelope().subject())
                && e.envelope().data() instanceof CatalogBuilt, n, Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - start) / 1e9;
        CatalogBuilt event = built.get(n - 1).data(CatalogBuilt.class);
        System.out.printf("BENCH %-70s %6.1f s  %s%n", what, seconds, event.image());
    }
}
