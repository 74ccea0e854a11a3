package dev.catalogautopilot.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The audit tool's refusals that need neither a broker nor a database nor a service. */
class AuditCommandTest {

    @Test
    void redriveWithoutCredentialsInTheEnvironmentIsAUsageError() {
        Output out = audit(Map.of(AuditCommand.USER_ENV, "carol"), "redrive", "--rollout-url", "http://127.0.0.1:1",
                "--catalog", "community", "--event", "e-1");

        assertThat(out.code).isEqualTo(2);
        assertThat(out.text).contains("set AUTOPILOT_USER and AUTOPILOT_PASSWORD");
    }

    @Test
    void redriveThatCannotReachTheServiceFailsWithoutShowingThePassword() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Output out = audit(Map.of(AuditCommand.USER_ENV, "carol", AuditCommand.PASSWORD_ENV, "s3cret-pw"),
                "redrive", "--rollout-url", "http://127.0.0.1:" + closedPort, "--catalog", "community", "--event",
                "e-1");

        assertThat(out.code).isEqualTo(1);
        assertThat(out.text).contains("cannot reach http://127.0.0.1:" + closedPort).doesNotContain("s3cret-pw");
    }

    @Test
    void rebuildRefusesAPartialLogAndASchemaNameThatIsNotAPlainIdentifier() {
        Output since = audit(Map.of(), "--since", "2026-01-01T00:00:00Z", "rebuild-fleet", "--jdbc-url",
                "jdbc:postgresql://127.0.0.1:1/x", "--schema", "fresh");
        Output injected = audit(Map.of(), "rebuild-fleet", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/x",
                "--schema", "fresh; DROP SCHEMA public");

        assertThat(since.code).isEqualTo(2);
        assertThat(since.text).contains("--since cannot be used");
        assertThat(injected.code).isEqualTo(2);
        assertThat(injected.text).contains("--schema must be a plain lower-case identifier");
    }

    private static Output audit(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        int code = AuditCommand.run(args, new PrintWriter(out, true), new PrintWriter(out, true), env);
        return new Output(code, out.toString());
    }

    private record Output(int code, String text) {
    }
}
