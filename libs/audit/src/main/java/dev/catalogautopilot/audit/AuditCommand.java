package dev.catalogautopilot.audit;

import dev.catalogautopilot.events.Topics;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code audit}: questions answered from the event topics alone. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Answers audit questions from the Catalog Autopilot event topics.",
        subcommands = {AuditCommand.TimelineCommand.class, AuditCommand.AtCommand.class,
                AuditCommand.VerifyCommand.class})
public final class AuditCommand {

    @Option(names = "--bootstrap-servers", description = "Kafka brokers (default: $KAFKA_BOOTSTRAP_SERVERS or 127.0.0.1:9092)")
    String bootstrapServers = Optional.ofNullable(System.getenv("KAFKA_BOOTSTRAP_SERVERS")).orElse("127.0.0.1:9092");

    @Option(names = "--topics", split = ",", description = "Topics to read (default: every event topic)")
    List<String> topics = Topics.all();

    @Option(names = "--since", description = "Read from this time (ISO-8601) instead of from the beginning")
    Instant since;

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the tool with the given output streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new AuditCommand());
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    List<AuditEvent> read() {
        List<String> undecodable = new ArrayList<>();
        List<AuditEvent> log = new AuditLogReader(bootstrapServers).read(topics, since, undecodable);
        undecodable.forEach(u -> spec.commandLine().getErr().println("not an event: " + u));
        return log;
    }

    @Command(name = "timeline", description = "The timeline of one run (--correlation) or of a catalog (--catalog).")
    static final class TimelineCommand implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;

        @Option(names = "--correlation", description = "A pipeline run's correlation id")
        String correlation;

        @Option(names = "--catalog", description = "A catalog name")
        String catalog;

        @Option(names = "--from", description = "With --catalog: from this time (ISO-8601)")
        Instant from;

        @Option(names = "--to", description = "With --catalog: until this time (ISO-8601)")
        Instant to;

        @Override
        public Integer call() {
            PrintWriter out = audit.spec.commandLine().getOut();
            if ((correlation == null) == (catalog == null)) {
                audit.spec.commandLine().getErr().println("give exactly one of --correlation and --catalog");
                return 2;
            }
            List<AuditEvent> log = audit.read();
            List<Timeline.Entry> entries = correlation != null ? Timeline.ofRun(log, correlation)
                    : Timeline.ofCatalog(log, catalog, from, to);
            entries.forEach(e -> out.printf("%s  %-38s  %-48s  %s  id=%s cause=%s  %s%n", e.time(), e.who(),
                    e.what().replace("dev.catalogautopilot.", ""), e.subject(), e.id(), e.causationId(), e.summary()));
            out.printf("%d events%n", entries.size());
            return entries.isEmpty() ? 1 : 0;
        }
    }

    @Command(name = "at", description = "Which catalog image a cluster ran at a time, and the upstream change behind it.")
    static final class AtCommand implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;

        @Option(names = "--cluster", required = true)
        String cluster;

        @Option(names = "--time", required = true, description = "ISO-8601 instant")
        Instant time;

        @Option(names = "--catalog", description = "Restrict to one catalog")
        String catalog;

        @Override
        public Integer call() {
            PrintWriter out = audit.spec.commandLine().getOut();
            Optional<PointInTime.Answer> answer = PointInTime.imageAt(audit.read(), cluster, catalog, time);
            if (answer.isEmpty()) {
                out.printf("cluster %s ran no catalog image from this system at %s%n", cluster, time);
                return 1;
            }
            PointInTime.Answer a = answer.get();
            out.printf("cluster %s ran %s at %s (catalog %s)%n", a.cluster(), a.image(), a.at(), a.catalog());
            out.printf("  since %s: %s (event %s)%n", a.since().envelope().time(), a.since().envelope().type(),
                    a.since().envelope().id());
            if (a.upstreamChange() != null) {
                var change = a.upstreamChange().envelope();
                out.printf("  caused by upstream change %s at %s: %s%n", change.id(), change.time(),
                        Timeline.summary(a.upstreamChange()));
            } else {
                out.println("  no upstream change found in the log for that run");
            }
            return 0;
        }
    }

    @Command(name = "verify", description = "Verifies the hash chains of the log; names the first altered or missing event.")
    static final class VerifyCommand implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;

        @Override
        public Integer call() {
            PrintWriter out = audit.spec.commandLine().getOut();
            ChainVerifier.Result result = ChainVerifier.verify(audit.read());
            out.printf("%d events in %d chains%n", result.events(), result.chains());
            if (result.intact()) {
                out.println("chain intact");
                return 0;
            }
            result.problems().forEach(p -> out.printf("%s event %s at %s: %s%n", p.kind(), p.eventId(), p.position(),
                    p.detail()));
            result.firstProblem().ifPresent(p -> out.printf("first bad event: %s%n", p.eventId()));
            return 3;
        }
    }
}
