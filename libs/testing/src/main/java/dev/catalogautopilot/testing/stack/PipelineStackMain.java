package dev.catalogautopilot.testing.stack;

import dev.catalogautopilot.events.Topics;
import dev.catalogautopilot.events.catalog.CatalogBuildFailed;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.catalog.CatalogDiff;
import dev.catalogautopilot.events.mirror.CatalogMirrorFailed;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.mirror.MirrorJobCompleted;
import dev.catalogautopilot.events.mirror.MirrorJobFailed;
import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import dev.catalogautopilot.events.rollout.ClusterFailed;
import dev.catalogautopilot.events.rollout.ClusterUpdated;
import dev.catalogautopilot.events.rollout.RolloutCompleted;
import dev.catalogautopilot.events.rollout.RolloutHalted;
import dev.catalogautopilot.events.rollout.WaveCompleted;
import dev.catalogautopilot.events.rollout.WaveStarted;
import dev.catalogautopilot.kafka.KafkaBroker;
import dev.catalogautopilot.testing.cluster.SimulatedCluster;
import dev.catalogautopilot.testing.kafka.EventStream;
import dev.catalogautopilot.testing.kafka.ReceivedEvent;
import dev.catalogautopilot.testing.scale.ScaleSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The local run: brings up {@link PipelineStack} on its own Kafka broker, shows one full pipeline run and then an
 * upstream change rolling through, and ends with the fleet's state.
 * {@code PipelineStackMain <workDir> [--clusters N] [--scale SIZE | --packages N] [--keep]}; with {@code --keep} it
 * stays up until stopped. {@code --scale} ({@code moderate}, {@code target}, or {@code packages,bundles,images,
 * repositories}) and {@code --packages N} (the target's shape per package) run a generated catalog of that size
 * instead of the fixture catalog (see {@link ScaleSpec#parse}).
 */
public final class PipelineStackMain {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
    /** A generated catalog of the target size takes longer to build and copy than the fixture catalog. */
    private static final Duration SCALE_RUN_TIMEOUT = Duration.ofMinutes(30);

    private final EventStream events;
    private final Duration runTimeout;
    private int printed;
    private final Map<String, int[]> mirrorProgress = new HashMap<>();

    private PipelineStackMain(EventStream events, Duration runTimeout) {
        this.events = events;
        this.runTimeout = runTimeout;
    }

    public static void main(String[] args) throws Exception {
        Path workDir = Path.of(args[0]);
        List<String> flags = List.of(args).subList(1, args.length);
        boolean keep = flags.contains("--keep");
        int clusters = flags.contains("--clusters") ? Integer.parseInt(flags.get(flags.indexOf("--clusters") + 1)) : 6;
        ScaleSpec scale = null;
        if (flags.contains("--scale")) {
            scale = ScaleSpec.parse(flags.get(flags.indexOf("--scale") + 1));
        } else if (flags.contains("--packages")) {
            scale = ScaleSpec.ofPackages(Integer.parseInt(flags.get(flags.indexOf("--packages") + 1)));
        }
        Instant started = Instant.now();
        say("starting Kafka (KRaft)");
        // Kept after the run: the summary names its log, and run.sh clears the directory before the next run.
        KafkaBroker kafka = KafkaBroker.start(workDir.resolve("kafka"), 0, false);
        PipelineStack[] stack = new PipelineStack[1];
        CountDownLatch stopped = new CountDownLatch(1);
        // Whatever ends this process (the run finishing, Ctrl-C, deploy/local/run.sh --down), take the stack down.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (stack[0] != null) {
                stack[0].close();
            }
            kafka.close();
            stopped.countDown();
        }, "stack-teardown"));
        try (EventStream events = EventStream.open(kafka.bootstrapServers(), Topics.all().toArray(String[]::new))) {
            stack[0] = PipelineStack.start(new PipelineStack.Options(kafka.bootstrapServers(), clusters,
                    workDir.resolve("stack"), Map.of(), PipelineStackMain::say).withScale(scale));
            PipelineStackMain display = new PipelineStackMain(events, scale == null ? RUN_TIMEOUT : SCALE_RUN_TIMEOUT);
            say("all services up; watching " + PipelineStack.CATALOG);
            display.followUntilFinished();
            String changed = scale == null ? "etcd" : stack[0].scaleCatalog().packageNames().get(0);
            say("publishing a new upstream release of '" + changed + "'");
            stack[0].appRegistry().publishRelease(changed);
            display.followUntilFinished();
            summary(stack[0], kafka, started);
        }
        if (keep) {
            say("stack left running; stop it with deploy/local/run.sh --down");
            stopped.await();
        }
        System.exit(0);
    }

    /** Prints what happens, stage by stage, until the next pipeline run ends (completed, halted or failed). */
    private void followUntilFinished() throws InterruptedException {
        Instant deadline = Instant.now().plus(runTimeout);
        int finished = 0;
        while (finished < 1) {
            List<ReceivedEvent> all = events.all();
            for (ReceivedEvent event : all.subList(printed, all.size())) {
                describe(event);
                Object data = event.envelope().data();
                if (data instanceof RolloutCompleted || data instanceof RolloutHalted
                        || data instanceof CatalogBuildFailed || data instanceof CatalogMirrorFailed) {
                    finished++;
                }
            }
            printed = all.size();
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the pipeline did not finish within " + runTimeout);
            }
            Thread.sleep(200);
        }
    }

    private void describe(ReceivedEvent event) {
        Object data = event.envelope().data();
        if (data instanceof CatalogChanged c) {
            say(String.format("[watcher] %s changed (%s): %d added, %d updated %s, %d removed", c.catalog(),
                    c.trigger(), c.added().size(), c.updated().size(),
                    c.updated().stream().map(p -> p.name() + "@" + p.release()).toList(), c.removed().size()));
        } else if (data instanceof CatalogBuilt b) {
            say(String.format("[builder] built %s: %d packages, %d channels, %d bundles, %d images referenced, %d left out",
                    b.image(), b.counts().packages(), b.counts().channels(), b.counts().bundles(),
                    b.referencedImages().entries(), b.excludedPackages().size()));
            describeDiff(b.diff());
        } else if (data instanceof CatalogBuildFailed f) {
            say("[builder] BUILD FAILED: " + f.reason());
        } else if (data instanceof MirrorJobRequested r) {
            mirrorProgress.computeIfAbsent(r.planId(), k -> new int[2])[0]++;
        } else if (data instanceof MirrorJobCompleted || data instanceof MirrorJobFailed) {
            String plan = data instanceof MirrorJobCompleted c ? c.planId() : ((MirrorJobFailed) data).planId();
            int[] progress = mirrorProgress.computeIfAbsent(plan, k -> new int[2]);
            progress[1]++;
            if (progress[1] % 50 == 0 || progress[1] == progress[0]) {
                say(String.format("[mirror]  %s %d/%d images", bar(progress[1], progress[0]), progress[1], progress[0]));
            }
        } else if (data instanceof CatalogMirrored m) {
            say(String.format("[mirror]  mirrored %d images (%d blobs copied, %d skipped, %d mounted): catalog at %s",
                    m.images(), m.stats().blobsCopied(), m.stats().blobsSkipped(), m.stats().blobsMounted(),
                    m.catalogImage()));
        } else if (data instanceof CatalogMirrorFailed f) {
            say("[mirror]  MIRROR FAILED: " + f.reason());
        } else if (data instanceof WaveStarted w) {
            say(String.format("[rollout] wave %d started: %s", w.wave(), w.clusters()));
        } else if (data instanceof ClusterUpdated u) {
            say(String.format("[rollout]   %s now runs the new catalog (mirror set %s)", u.cluster(), u.mirrorSet()));
        } else if (data instanceof ClusterFailed f) {
            say(String.format("[rollout]   %s FAILED: %s", f.cluster(), f.reason()));
        } else if (data instanceof WaveCompleted w) {
            say(String.format("[rollout] wave %d completed (%d clusters)", w.wave(), w.clusters().size()));
        } else if (data instanceof RolloutCompleted r) {
            say(String.format("[rollout] rollout completed on %d clusters: %s", r.clusters(), r.image()));
        } else if (data instanceof RolloutHalted h) {
            say("[rollout] ROLLOUT HALTED in wave " + h.wave() + ": " + h.failingClusters());
        }
    }

    private static void describeDiff(CatalogDiff diff) {
        if (diff == null || diff.previousImage() == null) {
            return;
        }
        say("[builder] what changed since " + diff.previousImage() + ":");
        CatalogDiff.Totals totals = diff.totals();
        say("            bundles added:   " + more(diff.bundlesAdded(), totals.bundlesAdded()));
        say("            bundles removed: " + more(diff.bundlesRemoved(), totals.bundlesRemoved()));
        diff.channelHeadsChanged().forEach(h -> say("            channel head:    " + h));
        if (totals.channelHeadsChanged() > diff.channelHeadsChanged().size()) {
            say("            … and " + (totals.channelHeadsChanged() - diff.channelHeadsChanged().size())
                    + " more channel heads");
        }
        say("            related images added: " + totals.relatedImagesAdded() + ", removed: "
                + totals.relatedImagesRemoved());
    }

    /** A diff list's preview, saying how many more the whole diff holds. */
    private static String more(List<String> preview, int total) {
        return total > preview.size() ? preview + " … and " + (total - preview.size()) + " more" : preview.toString();
    }

    private static String bar(int done, int total) {
        int width = 30;
        int filled = total == 0 ? width : done * width / total;
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    private static void summary(PipelineStack stack, KafkaBroker kafka, Instant started) {
        say("fleet summary (" + Duration.between(started, Instant.now()).toSeconds() + " s since start):");
        System.out.printf("  %-12s %-80s %s%n", "CLUSTER", "CATALOG IMAGE", "STATE");
        for (SimulatedCluster cluster : stack.fleet().clusters()) {
            var source = cluster.catalogSource(SimulatedCluster.MARKETPLACE, PipelineStack.CATALOG_SOURCE);
            System.out.printf("  %-12s %-80s %s%n", cluster.name(),
                    source.map(s -> String.valueOf(((Map<?, ?>) s.getAdditionalProperties().get("spec")).get("image")))
                            .orElse("-"),
                    source.flatMap(SimulatedCluster::observedState).orElse("-"));
        }
        stack.services().forEach((name, service) -> say(String.format("%-16s %s  log: %s", name, service.baseUrl(),
                service.logFile())));
        say("kafka            " + kafka.bootstrapServers() + "  log: " + kafka.logFile());
        say("app registry     " + stack.appRegistry().baseUrl());
        say("mirror registry  " + stack.mirror().url());
    }

    private static void say(String message) {
        System.out.println(message);
    }
}
