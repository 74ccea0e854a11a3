package dev.catalogautopilot.testing.stack;

import dev.catalogautopilot.events.EventEnvelope;
import dev.catalogautopilot.events.EventSources;
import dev.catalogautopilot.events.Topics;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.kafka.KafkaCloudEvents;
import dev.catalogautopilot.kafka.KafkaBroker;
import dev.catalogautopilot.testing.kafka.EventStream;
import dev.catalogautopilot.testing.kafka.ReceivedEvent;
import dev.catalogautopilot.testing.kafka.RecordSizes;
import dev.catalogautopilot.testing.process.ProcessMemory;
import dev.catalogautopilot.testing.process.ServiceProcess;
import dev.catalogautopilot.testing.scale.ScaleSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The scale benchmark: {@link PipelineStack} over a generated catalog of a {@link ScaleSpec}, each service with
 * {@code -Xmx1g}. It times a cold run, a run after one package changed and a no-op re-run (the watcher's manual
 * trigger), stage by stage, from the events' own timestamps; and it reports each service's peak heap (GC log) and peak RSS ({@code VmHWM}), the largest record
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
            String operatorPassword = java.util.UUID.randomUUID().toString();
            PipelineStack stack = PipelineStack.start(new PipelineStack.Options(kafka.bootstrapServers(), clusters,
                    workDir.resolve("stack"), Map.of("operator-password", operatorPassword), ScaleBenchMain::say)
                    .withScale(spec)
                    .withServiceJvmOptions(SERVICE_JVM).withRegistryRequestCounts());
            holder[0] = stack;
            say(String.format("stack up in %.1f s", BenchRun.seconds(setup, Instant.now())));
            long upstreamBefore = stack.upstreamRegistry().requestCount();
            long mirrorBefore = stack.mirror().requestCount();
            ScaleBenchMain bench = new ScaleBenchMain(stack, events, stall, deadline);
            List<BenchRun> runs = new ArrayList<>();
            BenchRun cold = bench.follow(new BenchRun("cold", ScaleBenchMain::say));
            runs.add(cold);
            long upstreamCold = stack.upstreamRegistry().requestCount() - upstreamBefore;
            long mirrorCold = stack.mirror().requestCount() - mirrorBefore;
            if (cold.failure == null) {
                String changed = stack.scaleCatalog().packageNames().get(0);
                say("publishing a new upstream release of " + changed);
                stack.appRegistry().publishRelease(changed);
                BenchRun changedRun = bench.follow(new BenchRun("one package changed", ScaleBenchMain::say));
                runs.add(changedRun);
                if (changedRun.failure == null) {
                    runs.add(bench.follow(bench.rerun(operatorPassword)));
                }
            }
            bench.sampleRss();
            // Let the size monitor read what was published last.
            TimeUnit.SECONDS.sleep(2);
            BenchReport.print(spec, runs, stack.services(), bench.peakRss, sizes, upstreamCold, mirrorCold);
            code = runs.stream().allMatch(r -> r.failure == null) ? 0 : 1;
            String root = System.getProperty("catalogautopilot.root");
            if (root != null && cold.correlation != null && !flags.contains("--no-audit")) {
                say("the audit tool over the whole run (deploy/audit.sh):");
                boolean audited = AuditCheck.run(Path.of(root), kafka.bootstrapServers(), cold.correlation,
                        PipelineStack.canary(), stack.service("rollout-service").baseUrl(),
                        workDir.resolve("audit"), ScaleBenchMain::say);
                say("RESULT: audit " + (audited ? "passed" : "FAILED"));
                code = audited ? code : 1;
            }
        } catch (RuntimeException e) {
            say("RESULT: FAILED during setup: " + e);
            code = 1;
        }
        System.out.flush();
        // The teardown hook stops every service, the registries and the broker.
        System.exit(code);
    }

    /**
     * The no-op re-run, as an operator forces it: the watcher's manual trigger at the current revision. The builder
     * rebuilds from its cache (the same digest), the mirror re-plans with every image already mirrored, and the
     * fleet, already at that digest, is not patched again.
     */
    private BenchRun rerun(String operatorPassword) throws IOException, InterruptedException {
        String auth = java.util.Base64.getEncoder().encodeToString(("operator:" + operatorPassword)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.service("watcher-service").baseUrl()
                        + "/catalogs/" + PipelineStack.CATALOG + "/trigger"))
                .header("Authorization", "Basic " + auth).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("the watcher's manual trigger answered " + response.statusCode() + ": "
                    + response.body());
        }
        say("triggered a manual rebuild at the current revision (POST /catalogs/" + PipelineStack.CATALOG
                + "/trigger): a no-op re-run");
        return new BenchRun("no-op re-run", ScaleBenchMain::say);
    }

    /** Follows one pipeline run until it completes, fails, stalls or runs out of time. */
    private BenchRun follow(BenchRun run) throws InterruptedException {
        int from = seen;
        Instant lastLogScan = Instant.EPOCH;
        while (true) {
            List<ReceivedEvent> all = events.all();
            for (ReceivedEvent event : all.subList(seen, all.size())) {
                run.record(event);
                lastProgress = Instant.now();
            }
            seen = all.size();
            if (run.ended()) {
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
            // A failure event may hide its cause (an OutOfMemoryError caught and wrapped): name it if a log shows it.
            String failure = run.failure;
            fatalLine().filter(line -> !failure.contains(line)).ifPresent(line -> run.failure += " [" + line + "]");
            say("[" + run.name + "] FAILED in stage " + run.stage() + ": " + run.failure);
            ServiceProcess service = stack.service(run.service());
            errorLines(service.logFile()).forEach(line -> say("    " + service.logFile().getFileName() + ": " + line));
        } else {
            say(String.format("[%s] %s, %d events", run.name, run.completed != null ? "rollout completed" : "mirrored",
                    seen - from));
        }
        return run;
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
