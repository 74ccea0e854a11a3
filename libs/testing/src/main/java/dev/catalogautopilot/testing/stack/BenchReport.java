package dev.catalogautopilot.testing.stack;

import dev.catalogautopilot.events.Topics;
import dev.catalogautopilot.testing.kafka.RecordSizes;
import dev.catalogautopilot.testing.process.ProcessMemory;
import dev.catalogautopilot.testing.process.ServiceProcess;
import dev.catalogautopilot.testing.scale.ScaleSpec;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

/** The scale benchmark's closing report: stage times per run, memory per service, record sizes, requests per image. */
final class BenchReport {

    private BenchReport() {
    }

    static void print(ScaleSpec spec, List<BenchRun> runs, Map<String, ServiceProcess> services,
            Map<String, Long> peakRss, RecordSizes sizes, long upstreamRequests, long mirrorRequests) {
        System.out.println();
        System.out.println("== scale benchmark: " + spec + " ==");
        System.out.printf("%-30s", "stage (s)");
        runs.forEach(r -> System.out.printf(" %22s", r.name));
        System.out.println();
        row(runs, "detect -> built", r -> BenchRun.seconds(r.detected, r.built));
        row(runs, "built -> plan announced", r -> BenchRun.seconds(r.built, r.planned));
        row(runs, "plan -> mirrored", r -> BenchRun.seconds(r.planned, r.mirrored));
        row(runs, "mirrored -> canary READY", r -> BenchRun.seconds(r.mirrored, r.canaryReady));
        row(runs, "canary -> rollout completed", r -> BenchRun.seconds(r.canaryReady, r.completed));
        row(runs, "detect -> canary READY", r -> BenchRun.seconds(r.detected, r.canaryReady));
        row(runs, "detect -> rollout completed", r -> BenchRun.seconds(r.detected, r.completed));
        System.out.printf("%-30s", "mirror jobs requested");
        runs.forEach(r -> System.out.printf(" %22d", r.jobs));
        System.out.println();
        System.out.printf("%-30s", "images reused from the mirror");
        runs.forEach(r -> System.out.printf(" %22d", r.reused));
        System.out.println();
        System.out.println();
        System.out.printf("%-18s %16s %16s%n", "service", "peak heap (MiB)", "peak RSS (MiB)");
        services.forEach((name, service) -> System.out.printf("%-18s %16s %16s%n", name,
                mib(ProcessMemory.peakHeap(service.workDir().resolve("gc.log"))),
                mib(peakRss.containsKey(name) ? OptionalLong.of(peakRss.get(name)) : OptionalLong.empty())));
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
        for (BenchRun run : runs) {
            System.out.println("RESULT [" + run.name + "]: " + (run.failure == null ? "COMPLETED"
                    : "FAILED in stage " + run.stage() + ": " + run.failure));
        }
    }

    private static void row(List<BenchRun> runs, String label, Function<BenchRun, Double> value) {
        System.out.printf("%-30s", label);
        for (BenchRun run : runs) {
            Double v = value.apply(run);
            System.out.printf(" %22s", v == null ? "-" : String.format("%.1f", v));
        }
        System.out.println();
    }

    private static String mib(OptionalLong bytes) {
        return bytes.isPresent() ? String.format("%.0f", bytes.getAsLong() / (1024.0 * 1024)) : "-";
    }
}
