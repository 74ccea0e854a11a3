package dev.catalogautopilot.testing.stack;

import dev.catalogautopilot.testing.postgres.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the audit tool ({@code deploy/audit.sh}, as an operator would) against a benchmark's broker: the timeline
 * of a run, one cluster's state now, the chain verification of every topic, and the fleet rebuilt from
 * {@code rollout.events} compared with rollout-service's live state. Reports each command's exit code, time and
 * last output line; it passes when every command exits 0.
 */
final class AuditCheck {

    /** Longest any one command may take: the whole audit log is read at the benchmark's size. */
    private static final long COMMAND_TIMEOUT_SECONDS = 600;

    private AuditCheck() {
    }

    /** True when every command succeeded. */
    static boolean run(Path root, String bootstrapServers, String correlation, String cluster, String rolloutUrl,
            Path workDir, Consumer<String> say) throws IOException, InterruptedException {
        TestDatabase db = TestDatabase.create("audit");
        List<List<String>> commands = List.of(
                List.of("timeline", "--correlation", correlation),
                List.of("at", "--cluster", cluster, "--time", Instant.now().toString()),
                List.of("verify"),
                List.of("rebuild-fleet", "--jdbc-url", db.jdbcUrl(), "--user", db.user(), "--schema", "fleet_check",
                        "--compare-with", rolloutUrl));
        boolean ok = true;
        Files.createDirectories(workDir);
        for (int i = 0; i < commands.size(); i++) {
            List<String> command = new ArrayList<>(List.of(root.resolve("deploy/audit.sh").toString(),
                    "--bootstrap-servers", bootstrapServers));
            command.addAll(commands.get(i));
            Path output = workDir.resolve("audit-" + i + "-" + commands.get(i).get(0) + ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(Map.of("AUTOPILOT_PG_PASSWORD", db.password()));
            long start = System.nanoTime();
            Process process = builder.start();
            boolean ended = process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            String last = lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
            String outcome = ended ? "exit " + process.exitValue() : "timed out";
            ok &= ended && process.exitValue() == 0;
            say.accept(String.format("audit %-14s %s in %.1f s, %d output lines; last: %s  (%s)",
                    commands.get(i).get(0), outcome, seconds, lines.size(),
                    last.length() > 200 ? last.substring(0, 200) + "…" : last, output));
        }
        return ok;
    }
}
