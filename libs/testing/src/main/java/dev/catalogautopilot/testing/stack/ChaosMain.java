package dev.catalogautopilot.testing.stack;

import dev.catalogautopilot.events.Topics;
import dev.catalogautopilot.events.catalog.CatalogBuildFailed;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.mirror.CatalogMirrorFailed;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.mirror.MirrorJobCompleted;
import dev.catalogautopilot.events.rollout.ClusterRolledBack;
import dev.catalogautopilot.events.rollout.ClusterUpdated;
import dev.catalogautopilot.events.rollout.RolloutCompleted;
import dev.catalogautopilot.events.rollout.RolloutHalted;
import dev.catalogautopilot.events.rollout.RolloutSuperseded;
import dev.catalogautopilot.events.rollout.WaveStarted;
import dev.catalogautopilot.kafka.KafkaBroker;
import dev.catalogautopilot.testing.cluster.SimulatedCluster;
import dev.catalogautopilot.testing.kafka.EventStream;
import dev.catalogautopilot.testing.kafka.ReceivedEvent;
import dev.catalogautopilot.testing.process.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The chaos run behind {@code deploy/bench/chaos.sh}: N pipeline runs at fixture size through the packaged
 * services, each hit at seeded random moments by a PostgreSQL restart (a command the script gives: its own private
 * cluster), a {@code kill -9} and restart of the Kafka broker, or a {@code kill -9} and restart of a random
 * service. Each run ends completed, failed with a visible reason (a failure event), or stuck (no outcome within
 * the bound); then the event log and the simulated clusters are checked for duplicate effects.
 *
 * <p>Arguments: work directory, runs, seed. Environment: {@code CHAOS_PG_RESTART} (shell command restarting the
 * services' PostgreSQL; without it no database faults), {@code CHAOS_BOUND} (seconds a run may take, 300).
 */
public final class ChaosMain {

    private static final List<String> SERVICES = List.of("watcher-service", "builder-service", "mirror-service",
            "rollout-service");
    private static final List<String> PACKAGES = List.of("etcd", "prometheus", "jaeger", "grafana-operator");

    private final PipelineStack stack;
    private final EventStream events;
    private final Random random;
    private final String pgRestart;
    private KafkaBroker kafka;
    private final Map<String, Integer> faults = new HashMap<>();

    private ChaosMain(PipelineStack stack, EventStream events, Random random, String pgRestart, KafkaBroker kafka) {
        this.stack = stack;
        this.events = events;
        this.random = random;
        this.pgRestart = pgRestart;
        this.kafka = kafka;
    }

    public static void main(String[] args) throws Exception {
        Path workDir = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        String pgRestart = System.getenv("CHAOS_PG_RESTART");
        Duration bound = Duration.ofSeconds(Long.parseLong(Optional.ofNullable(System.getenv("CHAOS_BOUND"))
                .orElse("300")));
        say("chaos: " + runs + " runs, seed " + seed + ", stuck after " + bound + ", database faults "
                + (pgRestart == null ? "off" : "on"));
        KafkaBroker kafka = KafkaBroker.start(workDir.resolve("kafka"), 0, false);
        ChaosMain[] holder = new ChaosMain[1];
        PipelineStack[] stackHolder = new PipelineStack[1];
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (stackHolder[0] != null) {
                stackHolder[0].close();
            }
            (holder[0] != null ? holder[0].kafka : kafka).close();
        }, "chaos-teardown"));
        int code;
        try (EventStream events = EventStream.open(kafka.bootstrapServers(), Topics.all().toArray(String[]::new))) {
            PipelineStack stack = PipelineStack.start(new PipelineStack.Options(kafka.bootstrapServers(), 3,
                    workDir.resolve("stack"), Map.of(), ChaosMain::say).withRegistryRequestCounts());
            stackHolder[0] = stack;
            ChaosMain chaos = new ChaosMain(stack, events, new Random(seed), pgRestart, kafka);
            holder[0] = chaos;
            code = chaos.run(runs, bound, seed);
        } catch (RuntimeException e) {
            say("RESULT: FAILED during setup: " + e);
            code = 2;
        }
        System.out.flush();
        System.exit(code);
    }

    private int run(int runs, Duration bound, long seed) throws InterruptedException {
        say("waiting for the first (undisturbed) run to roll out");
        events.await(e -> e.envelope().data() instanceof RolloutCompleted, 1, bound);
        int completed = 0;
        int failed = 0;
        int stuck = 0;
        List<String> lines = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            int changesBefore = changes().size();
            String pkg = PACKAGES.get(random.nextInt(PACKAGES.size()));
            Instant start = Instant.now();
            stack.appRegistry().publishRelease(pkg);
            Thread faulting = faultsFor(run);
            String outcome = follow(changesBefore, start.plus(bound));
            faulting.join(); // every fault is over (broker and services back) before the next run
            if (outcome.startsWith("completed")) {
                completed++;
            } else if (outcome.startsWith("failed")) {
                failed++;
            } else {
                stuck++;
            }
            String line = String.format("run %d (%s): %s in %.1f s", run, pkg, outcome,
                    Duration.between(start, Instant.now()).toMillis() / 1e3);
            lines.add(line);
            say(line);
        }
        TimeUnit.SECONDS.sleep(5); // let the last events arrive
        List<String> duplicates = duplicates();
        say("==== chaos result (seed " + seed + ") ====");
        lines.forEach(ChaosMain::say);
        say("faults injected: " + faults);
        say(String.format("RESULT: runs %d: completed %d, failed with a reason %d, stuck %d; duplicate effects %d",
                runs, completed, failed, stuck, duplicates.size()));
        duplicates.forEach(d -> say("DUPLICATE: " + d));
        return stuck == 0 && duplicates.isEmpty() ? 0 : 1;
    }

    /** One to three faults at random moments within the run's first 20 s, on their own thread. */
    private Thread faultsFor(int run) {
        int count = 1 + random.nextInt(3);
        List<long[]> plan = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            plan.add(new long[] {500 + random.nextInt(20_000), random.nextInt(pgRestart == null ? 2 : 3),
                    random.nextInt(SERVICES.size()), 1 + random.nextInt(5)});
        }
        plan.sort((a, b) -> Long.compare(a[0], b[0]));
        Thread thread = new Thread(() -> {
            long elapsed = 0;
            for (long[] fault : plan) {
                try {
                    TimeUnit.MILLISECONDS.sleep(fault[0] - elapsed);
                    elapsed = fault[0];
                    inject((int) fault[1], SERVICES.get((int) fault[2]), fault[3], run);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    say("run " + run + ": fault injection failed: " + e);
                }
            }
        }, "chaos-run-" + run);
        thread.start();
        return thread;
    }

    private void inject(int kind, String service, long downSeconds, int run) throws InterruptedException {
        switch (kind) {
            case 0 -> {
                say("run " + run + ": kill -9 " + service + ", restarting it");
                ServiceProcess process = stack.service(service);
                process.kill();
                process.start();
                faults.merge("service " + service, 1, Integer::sum);
            }
            case 1 -> {
                say("run " + run + ": kill -9 the Kafka broker, restarting it after " + downSeconds + " s");
                kafka = kafka.killAndRestart(Duration.ofSeconds(downSeconds));
                faults.merge("broker", 1, Integer::sum);
            }
            default -> {
                say("run " + run + ": restarting PostgreSQL");
                try {
                    Process p = new ProcessBuilder("sh", "-c", pgRestart).inheritIO().start();
                    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                        say("run " + run + ": the PostgreSQL restart command failed");
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                faults.merge("postgres", 1, Integer::sum);
            }
        }
    }

    /** Follows the run started by the next catalog-changed event until an outcome or the deadline. */
    private String follow(int changesBefore, Instant deadline) throws InterruptedException {
        String correlation = null;
        while (Instant.now().isBefore(deadline)) {
            List<ReceivedEvent> changes = changes();
            if (correlation == null && changes.size() > changesBefore) {
                correlation = changes.get(changesBefore).envelope().correlationId();
            }
            if (correlation != null) {
                String run = correlation;
                for (ReceivedEvent e : events.matching(e -> run.equals(e.envelope().correlationId()))) {
                    Object data = e.envelope().data();
                    if (data instanceof RolloutCompleted) {
                        return "completed";
                    } else if (data instanceof CatalogBuildFailed f) {
                        return "failed (build: " + f.reason() + ")";
                    } else if (data instanceof CatalogMirrorFailed f) {
                        return "failed (mirror: " + f.reason() + ")";
                    } else if (data instanceof RolloutHalted h) {
                        return "failed (rollout halted: " + h.failingClusters() + ")";
                    } else if (data instanceof RolloutSuperseded s) {
                        return "failed (rollout superseded by " + s.supersededBy() + ")";
                    }
                }
            }
            TimeUnit.SECONDS.sleep(1);
        }
        return correlation == null ? "STUCK (no change detected)" : "STUCK (run " + correlation + " has no outcome; "
                + "last event " + lastEventOf(correlation) + ")";
    }

    private String lastEventOf(String correlation) {
        List<ReceivedEvent> run = events.matching(e -> correlation.equals(e.envelope().correlationId()));
        return run.isEmpty() ? "none" : run.get(run.size() - 1).type();
    }

    /**
     * Every distinct catalog-changed event, in the order first seen: a record seen twice (re-read by this script's
     * consumer after a broker restart, or published twice) must not shift which change a run follows.
     */
    private List<ReceivedEvent> changes() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return events.matching(e -> e.envelope().data() instanceof CatalogChanged).stream()
                .filter(e -> seen.add(e.envelope().id())).toList();
    }

    /**
     * Duplicate effects: a record published twice (one event id, two records), one effect under two event ids
     * (a build, a mirroring, an image copy, a cluster update or completion twice in one run), and a cluster whose
     * CatalogSource was patched more often than rollouts changed it.
     */
    private List<String> duplicates() {
        List<String> found = new ArrayList<>();
        // One record read twice (the stream's consumer re-reads after a broker restart) is one record: count
        // distinct topic-partition-offsets per event id.
        Map<String, Long> ids = events.all().stream().collect(Collectors.groupingBy(e -> e.envelope().id(),
                Collectors.mapping(e -> e.topic() + "/" + e.partition() + "@" + e.offset(),
                        Collectors.collectingAndThen(Collectors.toSet(), set -> (long) set.size()))));
        ids.forEach((id, n) -> {
            if (n > 1) {
                found.add("event " + id + " published " + n + " times");
            }
        });
        Map<String, Set<String>> effects = new HashMap<>();
        for (ReceivedEvent e : events.all()) {
            Object data = e.envelope().data();
            String run = e.envelope().correlationId();
            String effect = null;
            if (data instanceof CatalogBuilt) {
                effect = "built " + run;
            } else if (data instanceof CatalogMirrored) {
                effect = "mirrored " + run;
            } else if (data instanceof MirrorJobCompleted c) {
                effect = "image " + c.planId() + " " + c.source() + " copied";
            } else if (data instanceof ClusterUpdated u) {
                effect = "cluster " + u.cluster() + " updated by " + u.rolloutId();
            } else if (data instanceof RolloutCompleted c) {
                effect = "rollout " + c.rolloutId() + " completed";
            }
            if (effect != null) {
                effects.computeIfAbsent(effect, k -> new HashSet<>()).add(e.envelope().id());
            }
        }
        effects.forEach((effect, eventIds) -> {
            if (eventIds.size() > 1) {
                found.add(effect + " under " + eventIds.size() + " event ids");
            }
        });
        found.addAll(repeatedUploads());
        // A rollout superseded mid-wave may have patched a cluster of a wave it had started and never verified it
        // (no cluster.updated): one patch per such rollout is allowed, for the clusters of its started waves only.
        java.util.Set<String> superseded = new java.util.HashSet<>();
        events.matching(e -> e.envelope().data() instanceof RolloutSuperseded)
                .forEach(e -> superseded.add(((RolloutSuperseded) e.envelope().data()).rolloutId()));
        Map<String, java.util.Set<String>> startedBySupersededRollout = new java.util.HashMap<>();
        events.matching(e -> e.envelope().data() instanceof WaveStarted w && superseded.contains(w.rolloutId()))
                .forEach(e -> {
                    WaveStarted wave = (WaveStarted) e.envelope().data();
                    wave.clusters().forEach(c -> startedBySupersededRollout
                            .computeIfAbsent(c, k -> new java.util.HashSet<>()).add(wave.rolloutId()));
                });
        for (SimulatedCluster cluster : stack.fleet().clusters()) {
            long supersededMidWave = startedBySupersededRollout.getOrDefault(cluster.name(), java.util.Set.of()).size();
            long patches = cluster.requests().catalogSourcePatches(SimulatedCluster.MARKETPLACE,
                    PipelineStack.CATALOG_SOURCE);
            long changes = events.matching(e -> (e.envelope().data() instanceof ClusterUpdated u
                    && u.cluster().equals(cluster.name()))
                    || (e.envelope().data() instanceof ClusterRolledBack b && b.cluster().equals(cluster.name())))
                    .stream().map(e -> e.envelope().id()).distinct().count();
            if (patches > changes + supersededMidWave) {
                found.add("cluster " + cluster.name() + ": CatalogSource patched " + patches + " times for "
                        + changes + " updates and rollbacks (and " + supersededMidWave + " rollouts superseded"
                        + " mid-wave)");
            }
        }
        return found;
    }

    /**
     * Blobs uploaded and manifests pushed by digest more than once to one mirror repository (an image copied
     * twice). The builder's own catalog images ({@code olm/}) are left out: each run pushes a new one.
     */
    private List<String> repeatedUploads() {
        Map<String, Integer> uploads = new HashMap<>();
        try {
            stack.mirror().uploads().forEach((what, n) -> {
                if (!what.startsWith("olm")) {
                    uploads.put(what, n);
                }
            });
        } catch (IllegalStateException e) {
            return List.of("cannot read the mirror's access log: " + e);
        }
        List<String> repeated = new ArrayList<>();
        uploads.forEach((what, n) -> {
            if (n > 1) {
                repeated.add("mirror " + what + " uploaded " + n + " times");
            }
        });
        say("mirror uploads (blobs and manifests by digest, olm/ excluded): " + uploads.size());
        return repeated;
    }

    private static void say(String message) {
        System.out.println("[chaos " + Instant.now() + "] " + message);
    }
}
