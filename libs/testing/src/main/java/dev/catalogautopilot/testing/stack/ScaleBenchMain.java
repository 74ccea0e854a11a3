package dev.catalogautopilot.testing.stack;

import dev.catalogautopilot.events.EventData;
import dev.catalogautopilot.events.Topics;
import dev.catalogautopilot.events.catalog.CatalogBuildFailed;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.mirror.CatalogMirrorFailed;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import dev.catalogautopilot.events.rollout.ClusterUpdated;
import dev.catalogautopilot.events.rollout.RolloutCompleted;
import dev.catalogautopilot.events.rollout.RolloutHalted;
import dev.catalogautopilot.kafka.KafkaBroker;
import dev.catalogautopilot.testing.kafka.EventStream;
import dev.catalogautopilot.testing.kafka.ReceivedEvent;
import dev.catalogautopilot.testing.kafka.RecordSizes;
import dev.catalogautopilot.testing.process.ProcessMemory;
import dev.catalogautopilot.testing.process.ServiceProcess;
import dev.catalogautopilot.testing.scale.ScaleSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The scale benchmark: {@link PipelineStack} over a generated catalog of a {@link ScaleSpec}, each service with
 * {@code -Xmx1g}. It times a cold run and then a run after one package changed, stage by stage, from the events'
 * own timestamps; and it reports each service's peak heap (GC log) and peak RSS ({@code VmHWM}), the largest record
 * on any topic, and the registries' requests per image (access logs). A run that fails, stalls or overruns is
 * reported with its stage and reason, never waited for.
 * {@code ScaleBenchMain <workDir> <size> [--timeout 30m] [--stall 5m] [--clusters 4]}.
 */
public final class ScaleBenchMain {

    /** What each service runs with in the benchmark: the production heap limit and a GC log to read the peak from. */
    static final List<String> SERVICE_JVM = List.of("-Xmx1g", "-XX:+UseSerialGC", "-Xlog:gc:file=gc.log");
    /** The largest record the broker and producers take by default. */
    static final long MAX_EVENT_BYTES = 1024 * 1024;
    private static final Pattern FATAL = Pattern.compile(
            "StackOverflowError|OutOfMemoryError|RecordTooLargeException");

    private final PipelineStack stack;
    private final EventStream events;
    private final Duration stall;
    private final Instant deadline;
    private final Map<String, Long> peakRss = new LinkedHashMap<>();
    private int seen;
    private Instant lastProgress = Instant.now();

    private ScaleBenchMain(PipelineStack stack, EventStream events, Duration stall, Instant deadline) {
        this.stack = stack;
        this.events = events;
        this.stall = stall;
        this.deadline = deadline;
    }

    /** Where a run got to: the time of each stage's event, in pipeline order, null until it happens. */
    static final class Run {
        final String name;
        String correlation;
        Instant detected;
        Instant built;
        Instant planned;
        Instant mirrored;
        Instant canaryReady;
        Instant completed;
        int jobs;
        String failure;

        Run(String name) {
            this.name = name;
        }

        /** The stage under way: the first whose end has not been seen. */
        String stage() {
            if (detected == null) {
                return "detect (watcher)";
            } else if (built == null) {
                return "detect -> built (builder)";
            } else if (planned == null) {
                return "built -> plan announced (mirror planner)";
            } else if (mirrored == null) {
                return "plan -> mirrored (mirror workers and tracker)";
            } else if (canaryReady == null) {
                return "mirrored -> canary READY (rollout)";
            }
            return "canary -> rollout completed (rollout)";
        }

        /** The service whose log explains a failure in the current stage. */
        String service() {
            if (detected == null) {
                return "watcher-service";
            } else if (built == null) {
                return "builder-service";
            } else if (mirrored == null) {
                return "mirror-service";
            }
            return "rollout-service";
        }
    }

    public static void main(String[] args) throws Exception {
        Path workDir = Path.of(args[0]);
        ScaleSpec spec = ScaleSpec.parse(args[1]);
        List<String> flags = List.of(args).subList(2, args.length);
        Duration timeout = duration(flag(flags, "--timeout", "30m"));
        Duration stall = duration(flag(flags, "--stall", "5m"));
        int clusters = Integer.parseInt(flag(flags, "--clusters", "4"));
        Instant deadline = Instant.now().plus(timeout);
        say("scale benchmark: " + spec + "; " + clusters + " clusters; services " + SERVICE_JVM
                + "; at most " + timeout + ", failing after " + stall + " without progress");
        KafkaBroker kafka = KafkaBroker.start(workDir.resolve("kafka"), 0, false);
        PipelineStack[] holder = new PipelineStack[1];
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (holder[0] != null) {
                holder[0].close();
            }
            kafka.close();
        }, "bench-teardown"));
        List<String> topics = Topics.allWithDeadLetters();
        int code;
        try (RecordSizes sizes = RecordSizes.open(kafka.bootstrapServers(), topics, MAX_EVENT_BYTES);
             EventStream events = EventStream.open(kafka.bootstrapServers(), topics.toArray(String[]::new))) {
            Instant setup = Instant.now();
            PipelineStack stack = PipelineStack.start(new PipelineStack.Options(kafka.bootstrapServers(), clusters,
                    workDir.resolve("stack"), Map.of(), ScaleBenchMain::say).withScale(spec)
                    .withServiceJvmOptions(SERVICE_JVM).withRegistryRequestCounts());
            holder[0] = stack;
            say(String.format("stack up in %.1f s", seconds(setup, Instant.now())));
            long upstreamBefore = stack.upstreamRegistry().requestCount();
            long mirrorBefore = stack.mirror().requestCount();
            ScaleBenchMain bench = new ScaleBenchMain(stack, events, stall, deadline);
            List<Run> runs = new ArrayList<>();
            Run cold = bench.follow(new Run("cold"));
            runs.add(cold);
            long upstreamCold = stack.upstreamRegistry().requestCount() - upstreamBefore;
            long mirrorCold = stack.mirror().requestCount() - mirrorBefore;
            if (cold.failure == null) {
                String changed = stack.scaleCatalog().packageNames().get(0);
                say("publishing a new upstream release of " + changed);
                stack.appRegistry().publishRelease(changed);
                runs.add(bench.follow(new Run("one package changed")));
            }
            bench.sampleRss();
            report(spec, runs, bench, sizes, upstreamCold, mirrorCold);
            code = runs.stream().allMatch(r -> r.failure == null) ? 0 : 1;
        } catch (RuntimeException e) {
            say("RESULT: FAILED during setup: " + e);
            code = 1;
        }
        System.out.flush();
        // The teardown hook stops every service, the registries and the broker.
        System.exit(code);
    }

    /** Follows one pipeline run until it completes, fails, stalls or runs out of time. */
    private Run follow(Run run) throws InterruptedException {
        int from = seen;
        Instant lastLogScan = Instant.EPOCH;
        while (true) {
            List<ReceivedEvent> all = events.all();
            for (ReceivedEvent event : all.subList(seen, all.size())) {
                record(run, event);
                lastProgress = Instant.now();
            }
            seen = all.size();
            if (run.failure != null || run.completed != null) {
                break;
            }
            sampleRss();
            for (Map.Entry<String, ServiceProcess> service : stack.services().entrySet()) {
                if (!service.getValue().isRunning()) {
                    run.failure = service.getKey() + " exited";
                }
            }
            if (run.failure == null && Duration.between(lastLogScan, Instant.now()).toSeconds() >= 5) {
                lastLogScan = Instant.now();
                fatalLine().ifPresent(line -> run.failure = line);
            }
            if (run.failure == null && Instant.now().isAfter(deadline)) {
                run.failure = "the benchmark's time ran out";
            }
            if (run.failure == null && Duration.between(lastProgress, Instant.now()).compareTo(stall) > 0) {
                run.failure = "no event for " + stall;
            }
            if (run.failure != null) {
                break;
            }
            Thread.sleep(250);
        }
        if (run.failure != null) {
            say("[" + run.name + "] FAILED in stage " + run.stage() + ": " + run.failure);
            ServiceProcess service = stack.service(run.service());
            errorLines(service.logFile()).forEach(line -> say("    " + service.logFile().getFileName() + ": " + line));
        } else {
            say(String.format("[%s] rollout completed, %d events", run.name, seen - from));
        }
        return run;
    }

    private void record(Run run, ReceivedEvent event) {
        if (event.topic().endsWith(Topics.DEAD_LETTER_SUFFIX)) {
            run.failure = "a record went to " + event.topic() + ": " + event.type() + " ("
                    + event.headers().getOrDefault("dead-letter-reason", "no reason given") + ")";
            return;
        }
        EventData data = event.envelope().data();
        String correlation = event.envelope().correlationId();
        if (data instanceof CatalogChanged && run.correlation == null) {
            run.correlation = correlation;
            run.detected = event.envelope().time();
            say("[" + run.name + "] change detected");
            return;
        }
        if (run.correlation == null || !run.correlation.equals(correlation)) {
            return;
        }
        Instant time = event.envelope().time();
        if (data instanceof CatalogBuilt) {
            run.built = time;
            say(String.format("[%s] built after %.1f s", run.name, seconds(run.detected, time)));
        } else if (data instanceof MirrorJobRequested requested && requested.attempt() == 1) {
            run.jobs++;
            run.planned = run.planned == null || time.isAfter(run.planned) ? time : run.planned;
        } else if (data instanceof CatalogMirrored) {
            run.mirrored = time;
            run.planned = run.planned == null ? time : run.planned;
            say(String.format("[%s] mirrored after %.1f s (%d jobs)", run.name, seconds(run.detected, time), run.jobs));
        } else if (data instanceof ClusterUpdated updated && run.canaryReady == null
                && updated.cluster().startsWith("canary")) {
            run.canaryReady = time;
        } else if (data instanceof RolloutCompleted) {
            run.completed = time;
        } else if (data instanceof CatalogBuildFailed failed) {
            run.failure = "build failed: " + failed.reason();
        } else if (data instanceof CatalogMirrorFailed failed) {
            run.failure = "mirror failed: " + failed.reason();
        } else if (data instanceof RolloutHalted halted) {
            run.failure = "rollout halted in wave " + halted.wave() + ": " + halted.failingClusters();
        }
    }

    private void sampleRss() {
        stack.services().forEach((name, service) -> {
            if (service.isRunning()) {
                ProcessMemory.peakRss(service.pid()).ifPresent(rss -> peakRss.merge(name, rss, Math::max));
            }
        });
    }

    /** The first line in any service log that names a fatal error, with the service's name. */
    private Optional<String> fatalLine() {
        for (Map.Entry<String, ServiceProcess> service : stack.services().entrySet()) {
            try (Stream<String> lines = Files.lines(service.getValue().logFile())) {
                Optional<String> line = lines.filter(l -> FATAL.matcher(l).find()).findFirst();
                if (line.isPresent()) {
                    return Optional.of(service.getKey() + " logged: " + abbreviate(line.get()));
                }
            } catch (IOException | RuntimeException e) {
                // a log not there yet, or being written
            }
        }
        return Optional.empty();
    }

    private static List<String> errorLines(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            List<String> errors = lines.filter(l -> l.contains("ERROR") || FATAL.matcher(l).find())
                    .map(ScaleBenchMain::abbreviate).toList();
            return errors.subList(Math.max(0, errors.size() - 5), errors.size());
        } catch (IOException | RuntimeException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }

    private static void report(ScaleSpec spec, List<Run> runs, ScaleBenchMain bench, RecordSizes sizes,
            long upstreamRequests, long mirrorRequests) throws InterruptedException {
        // Let the size monitor read what was published last.
        TimeUnit.SECONDS.sleep(2);
        System.out.println();
        System.out.println("== scale benchmark: " + spec + " ==");
        System.out.printf("%-30s", "stage (s)");
        runs.forEach(r -> System.out.printf(" %22s", r.name));
        System.out.println();
        row(runs, "detect -> built", r -> seconds(r.detected, r.built));
        row(runs, "built -> plan announced", r -> seconds(r.built, r.planned));
        row(runs, "plan -> mirrored", r -> seconds(r.planned, r.mirrored));
        row(runs, "mirrored -> canary READY", r -> seconds(r.mirrored, r.canaryReady));
        row(runs, "canary -> rollout completed", r -> seconds(r.canaryReady, r.completed));
        row(runs, "detect -> canary READY", r -> seconds(r.detected, r.canaryReady));
        row(runs, "detect -> rollout completed", r -> seconds(r.detected, r.completed));
        System.out.printf("%-30s", "mirror jobs requested");
        runs.forEach(r -> System.out.printf(" %22d", r.jobs));
        System.out.println();
        System.out.println();
        System.out.printf("%-18s %16s %16s%n", "service", "peak heap (MiB)", "peak RSS (MiB)");
        bench.stack.services().forEach((name, service) -> System.out.printf("%-18s %16s %16s%n", name,
                mib(ProcessMemory.peakHeap(service.workDir().resolve("gc.log"))),
                mib(bench.peakRss.containsKey(name) ? OptionalLong.of(bench.peakRss.get(name)) : OptionalLong.empty())));
        System.out.println();
        System.out.printf("largest event: %s (of %,d records on %d topics)%n", sizes.largest(), sizes.records(),
                Topics.allWithDeadLetters().size());
        List<RecordSizes.Measured> oversized = sizes.oversized();
        System.out.printf("events over 1 MiB: %d%s%n", oversized.size(),
                oversized.isEmpty() ? "" : " " + oversized.subList(0, Math.min(5, oversized.size())));
        System.out.printf("registry requests in the cold run: upstream %,d (%.2f per image), mirror %,d"
                        + " (%.2f per image), for %,d images%n", upstreamRequests,
                (double) upstreamRequests / spec.images(), mirrorRequests, (double) mirrorRequests / spec.images(),
                spec.images());
        for (Run run : runs) {
            System.out.println("RESULT [" + run.name + "]: " + (run.failure == null ? "COMPLETED"
                    : "FAILED in stage " + run.stage() + ": " + run.failure));
        }
    }

    private static void row(List<Run> runs, String label, java.util.function.Function<Run, Double> value) {
        System.out.printf("%-30s", label);
        for (Run run : runs) {
            Double v = value.apply(run);
            System.out.printf(" %22s", v == null ? "-" : String.format("%.1f", v));
        }
        System.out.println();
    }

    private static Double seconds(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to).toMillis() / 1e3;
    }

    private static String mib(OptionalLong bytes) {
        return bytes.isPresent() ? String.format("%.0f", bytes.getAsLong() / (1024.0 * 1024)) : "-";
    }

    private static String abbreviate(String line) {
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private static String flag(List<String> flags, String name, String fallback) {
        int at = flags.indexOf(name);
        return at >= 0 && at + 1 < flags.size() ? flags.get(at + 1) : fallback;
    }

    /** {@code 90s}, {@code 30m}, {@code 1h}. */
    static Duration duration(String text) {
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("not a duration: " + text + " (use 90s, 30m or 1h)");
        };
    }

    private static void say(String message) {
        System.out.println(message);
    }
}
