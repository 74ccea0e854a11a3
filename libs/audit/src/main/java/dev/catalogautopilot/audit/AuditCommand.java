package dev.catalogautopilot.audit;

import dev.catalogautopilot.audit.fleet.FleetCell;
import dev.catalogautopilot.audit.fleet.FleetComparison;
import dev.catalogautopilot.audit.fleet.FleetDifference;
import dev.catalogautopilot.audit.fleet.FleetProjection;
import dev.catalogautopilot.audit.fleet.FleetStateSchema;
import dev.catalogautopilot.audit.fleet.LiveFleet;
import dev.catalogautopilot.audit.dlq.DlqCommand;
import dev.catalogautopilot.audit.redrive.RedriveClient;
import dev.catalogautopilot.events.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code audit}: questions answered from the event topics alone, the re-drive of a catalog, and the dead-letter
 * topics ({@code dlq list}, {@code dlq redrive}). Exit codes: 0 done,
 * 1 no answer or refused, 2 usage, 3 chain not intact, 4 rebuilt fleet state differs from the live one.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Answers audit questions from the Catalog Autopilot event topics.",
        subcommands = {AuditCommand.TimelineCommand.class, AuditCommand.AtCommand.class,
                AuditCommand.VerifyCommand.class, AuditCommand.RebuildFleetCommand.class,
                AuditCommand.RedriveCommand.class, DlqCommand.class})
public final class AuditCommand {

    /** Environment variables holding the rollout-service user and password for {@code redrive}. */
    public static final String USER_ENV = "AUTOPILOT_USER";
    public static final String PASSWORD_ENV = "AUTOPILOT_PASSWORD";
    /** Environment variables holding the PostgreSQL user and password for {@code rebuild-fleet}. */
    public static final String PG_USER_ENV = "AUTOPILOT_PG_USER";
    public static final String PG_PASSWORD_ENV = "AUTOPILOT_PG_PASSWORD";

    @Option(names = "--bootstrap-servers", description = "Kafka brokers (default: $KAFKA_BOOTSTRAP_SERVERS or 127.0.0.1:9092)")
    String bootstrapServers = Optional.ofNullable(System.getenv("KAFKA_BOOTSTRAP_SERVERS")).orElse("127.0.0.1:9092");

    @Option(names = "--topics", split = ",", description = "Topics to read (default: every event "
            + "topic; for rebuild-fleet: rollout.events)")
    List<String> topics = Topics.all();

    @Option(names = "--since", description = "Read from this time (ISO-8601) instead of from the beginning")
    Instant since;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Where credentials come from: the process environment, or a map in tests. */
    private final Map<String, String> env;

    private AuditCommand(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the tool with the given output streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, System.getenv());
    }

    /** As {@link #run(String[], PrintWriter, PrintWriter)}, with credentials taken from {@code env}. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        CommandLine cli = new CommandLine(new AuditCommand(env));
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    /** The Kafka brokers the tool reads and, for {@code dlq redrive}, writes. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    private String env(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
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

    @Command(name = "rebuild-fleet", description = "Rebuilds the fleet state from rollout.events into a fresh "
            + "schema and compares it with the live state of rollout-service; exit code 4 when they differ.")
    static final class RebuildFleetCommand implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;

        @Option(names = "--jdbc-url", required = true, description = "PostgreSQL to write into, e.g. "
                + "jdbc:postgresql://127.0.0.1:5432/audit (password from $AUTOPILOT_PG_PASSWORD)")
        String jdbcUrl;

        @Option(names = "--user", description = "PostgreSQL user (default: $AUTOPILOT_PG_USER)")
        String user;

        @Option(names = "--schema", required = true, description = "A schema that does not exist yet")
        String schema;

        @Option(names = "--compare-with", description = "rollout-service base URL, e.g. http://rollout:8084")
        URI compareWith;

        @Option(names = "--catalog", description = "Only these catalogs (repeatable; default: all)")
        List<String> catalogs = new ArrayList<>();

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = audit.spec.commandLine().getOut();
            PrintWriter err = audit.spec.commandLine().getErr();
            if (audit.since != null) {
                err.println("rebuild-fleet reads the whole log: --since cannot be used");
                return 2;
            }
            if (!FleetStateSchema.isValidName(schema)) {
                err.println("--schema must be a plain lower-case identifier, not '" + schema + "'");
                return 2;
            }
            if (!audit.spec.commandLine().getParseResult().hasMatchedOption("--topics")) {
                audit.topics = List.of(Topics.ROLLOUT_EVENTS);
            }
            List<FleetCell> projected = FleetProjection.of(audit.read()).stream().filter(this::selected).toList();
            List<FleetCell> rebuilt;
            try (Connection db = connect()) {
                FleetStateSchema fresh = FleetStateSchema.create(db, schema);
                fresh.write(projected);
                rebuilt = fresh.read();
            } catch (SQLException e) {
                // The driver's messages name the server and the problem, never the password.
                err.println("cannot write schema " + schema + ": " + e.getMessage());
                return 1;
            }
            out.printf("rebuilt %d cells of %d clusters into %s.fleet_state%n", rebuilt.size(),
                    rebuilt.stream().map(FleetCell::cluster).distinct().count(), schema);
            if (compareWith == null) {
                return 0;
            }
            List<FleetCell> live;
            try {
                live = LiveFleet.read(compareWith).stream().filter(this::selected).toList();
            } catch (IOException e) {
                err.println("cannot read the live fleet state from " + compareWith + ": " + e);
                return 1;
            }
            List<FleetDifference> differences = FleetComparison.compare(rebuilt, live);
            differences.forEach(d -> out.printf("DIFFERENT cluster=%s catalog=%s %s: projected=%s live=%s%n",
                    d.cluster(), d.catalog(), d.field(), d.projected(), d.live()));
            if (differences.isEmpty()) {
                out.printf("equal: %d cells match the live state of %s%n", live.size(), compareWith);
                return 0;
            }
            out.printf("%d differences between the rebuilt and the live fleet state%n", differences.size());
            return 4;
        }

        private boolean selected(FleetCell cell) {
            return catalogs.isEmpty() || catalogs.contains(cell.catalog());
        }

        private Connection connect() throws SQLException {
            Properties properties = new Properties();
            String name = user != null ? user : audit.env(PG_USER_ENV);
            if (name != null) {
                properties.setProperty("user", name);
            }
            String password = audit.env(PG_PASSWORD_ENV);
            if (password != null) {
                properties.setProperty("password", password);
            }
            return DriverManager.getConnection(jdbcUrl, properties);
        }
    }

    @Command(name = "redrive", description = "Rolls a catalog out again, fleet-wide, from an earlier "
            + "catalog-mirrored event (e.g. back to an earlier build); needs the redrive role.")
    static final class RedriveCommand implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;

        @Option(names = "--rollout-url", required = true, description = "rollout-service base URL")
        URI rolloutUrl;

        @Option(names = "--catalog", required = true)
        String catalog;

        @Option(names = "--event", required = true, description = "Id of the catalog-mirrored event to replay")
        String event;

        @Option(names = "--reason", description = "Recorded with the action")
        String reason;

        @Option(names = "--request-id", description = "Repeat a request with the same id to re-drive once "
                + "(default: a new id)")
        String requestId = UUID.randomUUID().toString();

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = audit.spec.commandLine().getOut();
            PrintWriter err = audit.spec.commandLine().getErr();
            String user = audit.env(USER_ENV);
            String password = audit.env(PASSWORD_ENV);
            if (user == null || password == null) {
                err.println("set " + USER_ENV + " and " + PASSWORD_ENV + " to a rollout-service user with the "
                        + "redrive role");
                return 2;
            }
            RedriveClient.Answer answer;
            try {
                answer = new RedriveClient(rolloutUrl, user, password).redrive(catalog, event, reason, requestId);
            } catch (IOException e) {
                err.println("cannot reach " + rolloutUrl + ": " + e);
                return 1;
            }
            if (!answer.accepted()) {
                err.printf("re-drive refused (HTTP %d): %s%n", answer.status(), answer.error());
                return 1;
            }
            out.printf("%s: rollout %s%n", answer.repeated() ? "already re-driven by request " + requestId
                    : "re-drive recorded", answer.rolloutId());
            out.printf("  run (correlation id) %s, replays catalog-mirrored event %s, recorded as event %s%n",
                    answer.correlationId(), answer.replays(), answer.eventId());
            return 0;
        }
    }
}
