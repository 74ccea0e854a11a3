package dev.catalogautopilot.mirror.bench;

import dev.catalogautopilot.events.mirror.MirrorStats;
import dev.catalogautopilot.mirror.copy.BlobLedger;
import dev.catalogautopilot.mirror.copy.BlobLocations;
import dev.catalogautopilot.mirror.copy.CopyResult;
import dev.catalogautopilot.mirror.copy.ImageCopier;
import dev.catalogautopilot.mirror.plan.TargetNaming;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.testing.registry.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logmanager.LogContext;

/**
 * Mirrors W1 and W2 with the service's copy engine and with {@code skopeo copy --all --preserve-digests} (8 in
 * parallel) in three alternating rounds per workload (A B, B A, A B: the tool that starts alternates),
 * each round into two fresh mirror registries, cold and then as a no-op re-run. Prints every round, then per tool
 * the median and the spread (min-max) of the wall times, the median of the per-round ratios and our process's CPU
 * time, as Markdown. Not a test: run it with {@code mirror-service/bench/run.sh}.
 *
 * <p>Arguments: {@code [jobs] [blobsPerJob] [workloads] [socketThreshold]}, default {@code 8 4 W1,W2 0}.
 * {@code -Dbench.rounds=N} changes the number of rounds.
 */
public final class MirrorBenchmark {

    private static final int SKOPEO_PARALLEL = 8;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    /** {@code -Dbench.skopeo=false} runs only our engine, for profiling it. */
    private static final boolean SKOPEO = !"false".equals(System.getProperty("bench.skopeo"));
    private static final List<String> RUNS = List.of("cold", "no-op");
    private static long socketThreshold;

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int blobsPerJob = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        List<String> names = List.of((args.length > 2 ? args[2] : "W1,W2").split(","));
        socketThreshold = args.length > 3 ? Long.parseLong(args[3]) : 0;
        // Log as the service does (INFO). Unconfigured, JBoss LogManager (on this classpath, and the JDK's logger
        // finder here) passes every level, and the JDK HttpClient then formats each of its debug messages: 40% of
        // our CPU in W1 went there, a cost the service does not pay.
        LogContext.getSystemLogContext().getLogger("").setLevel(java.util.logging.Level.INFO);
        StringBuilder rounds = new StringBuilder();
        rounds.append("| Workload | Round | First | Run | skopeo (s) | ours (s) | ours ÷ skopeo | ours: CPU (s) |"
                + " ours: blobs copied / mounted / skipped, MB |\n|---|---|---|---|---|---|---|---|---|\n");
        StringBuilder summary = new StringBuilder();
        summary.append("| Workload | Run | skopeo (s) | ours (s) | ours ÷ skopeo | ours: CPU (s) |\n"
                + "|---|---|---|---|---|---|\n");
        try (LocalRegistry upstream = LocalRegistry.start()) {
            RegistryClient client = RegistryClient.builder().insecure(h -> h.startsWith("127.0.0.1:")).build();
            for (int w = 0; w < names.size(); w++) {
                String name = names.get(w);
                Workload workload = name.equals("W1") ? Workload.W1 : Workload.W2;
                long generate = System.nanoTime();
                List<ImageReference> images = workload.push(client, upstream.host());
                System.err.printf(Locale.ROOT, "%s: %d images pushed upstream in %.1f s%n", name, images.size(),
                        seconds(generate));
                double[][] skopeo = new double[RUNS.size()][ROUNDS];
                double[][] ours = new double[RUNS.size()][ROUNDS];
                double[][] cpu = new double[RUNS.size()][ROUNDS];
                double[][] ratio = new double[RUNS.size()][ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    boolean skopeoFirst = (round + w) % 2 == 0;
                    try (LocalRegistry skopeoMirror = LocalRegistry.start();
                         LocalRegistry ourMirror = LocalRegistry.start()) {
                        for (int run = 0; run < RUNS.size(); run++) {
                            Outcome outcome = null;
                            for (int turn = 0; turn < 2; turn++) {
                                if ((turn == 0) == skopeoFirst) {
                                    skopeo[run][round] = SKOPEO ? skopeo(images, skopeoMirror.host()) : Double.NaN;
                                } else {
                                    outcome = ours(images, ourMirror.host(), jobs, blobsPerJob);
                                }
                            }
                            ours[run][round] = outcome.seconds();
                            cpu[run][round] = outcome.cpuSeconds();
                            ratio[run][round] = outcome.seconds() / skopeo[run][round];
                            MirrorStats s = outcome.stats();
                            String line = String.format(Locale.ROOT,
                                    "| %s | %d | %s | %s | %.2f | %.2f | %.2f | %.1f | %d / %d / %d, %.0f |%n",
                                    name, round + 1, skopeoFirst ? "skopeo" : "ours", RUNS.get(run),
                                    skopeo[run][round], outcome.seconds(), ratio[run][round], outcome.cpuSeconds(),
                                    s.blobsCopied(), s.blobsMounted(), s.blobsSkipped(), s.bytesCopied() / 1e6);
                            System.err.print(line);
                            rounds.append(line);
                        }
                    }
                }
                for (int run = 0; run < RUNS.size(); run++) {
                    summary.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", name,
                            RUNS.get(run), spread(skopeo[run], 2), spread(ours[run], 2), spread(ratio[run], 2),
                            spread(cpu[run], 1)));
                }
            }
        }
        System.out.printf(Locale.ROOT, "Engine: %d jobs × %d blobs per job, blobs from %d bytes over sockets;"
                        + " skopeo: %d processes in parallel; %d rounds per workload%n%n", jobs, blobsPerJob,
                socketThreshold, SKOPEO_PARALLEL, ROUNDS);
        System.out.println(rounds);
        System.out.println("Median (min-max) over the rounds; the ratio is the median of the per-round ratios.\n");
        System.out.println(summary);
    }

    /** {@code median (min-max)} with {@code decimals} places. */
    private static String spread(double[] values, int decimals) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " (" + f + "-" + f + ")", median, sorted[0], sorted[sorted.length - 1]);
    }

    private record Outcome(double seconds, double cpuSeconds, MirrorStats stats) {
    }

    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private static Outcome ours(List<ImageReference> images, String mirror, int jobs, int blobsPerJob) throws Exception {
        RegistryClient client = RegistryClient.builder().insecure(h -> h.startsWith("127.0.0.1:"))
                .socketThreshold(socketThreshold).build();
        ExecutorService jobPool = Executors.newFixedThreadPool(jobs);
        ExecutorService blobPool = Executors.newFixedThreadPool(jobs * blobsPerJob);
        TargetNaming naming = TargetNaming.of(mirror, 0);
        try {
            ImageCopier copier = new ImageCopier(client, new BlobLedger(BlobLocations.NONE), blobPool, blobsPerJob);
            long start = System.nanoTime();
            double cpu = cpuSeconds();
            List<Future<CopyResult>> results = new ArrayList<>();
            for (ImageReference image : images) {
                results.add(jobPool.submit(() -> copier.copy(image, naming.targetOf(image))));
            }
            MirrorStats total = MirrorStats.ZERO;
            for (Future<CopyResult> result : results) {
                total = total.plus(result.get().stats());
            }
            return new Outcome(seconds(start), cpuSeconds() - cpu, total);
        } finally {
            jobPool.shutdownNow();
            blobPool.shutdownNow();
        }
    }

    private static double skopeo(List<ImageReference> images, String mirror) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(SKOPEO_PARALLEL);
        TargetNaming naming = TargetNaming.of(mirror, 0);
        Path log = Files.createTempFile("skopeo-", ".log");
        try {
            long start = System.nanoTime();
            List<Future<Integer>> runs = new ArrayList<>();
            for (ImageReference image : images) {
                runs.add(pool.submit(() -> new ProcessBuilder("skopeo", "copy", "--all", "--preserve-digests",
                        "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false",
                        "docker://" + image, "docker://" + naming.targetOf(image))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start().waitFor()));
            }
            for (Future<Integer> run : runs) {
                if (run.get() != 0) {
                    throw new IllegalStateException("skopeo failed, see " + log + ":\n" + Files.readString(log));
                }
            }
            return seconds(start);
        } finally {
            pool.shutdownNow();
            Files.deleteIfExists(log);
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private MirrorBenchmark() {
    }

    static {
        try {
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IOException ignored) {
            // The JVM's temp directory exists.
        }
    }
}
