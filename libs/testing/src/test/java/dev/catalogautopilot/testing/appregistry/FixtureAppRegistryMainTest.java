package dev.catalogautopilot.testing.appregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catalogautopilot.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixtureAppRegistryMainTest {

    @Test
    void flagsConfigureTheServer(@TempDir Path temp) throws IOException {
        Path passwordFile = Files.writeString(temp.resolve("password"), "pa55word\n");

        try (FixtureAppRegistry registry = FixtureAppRegistryMain.builder(List.of(
                "--port", "0", "--dir", Fixtures.invalid().toString(), "--namespace", "redhat-operators",
                "--form", "flattened", "--username", "robot", "--password-file", passwordFile.toString())).start()) {
            CnrTestClient client = new CnrTestClient(registry.baseUrl());

            assertThat(registry.namespace()).isEqualTo("redhat-operators");
            assertThat(registry.packageNames()).containsExactly("3scale-community-operator");
            assertThat(client.get("/api/v1/packages").statusCode()).isEqualTo(401);
            String token = CnrTestClient.json(client.post("/api/v1/users/login",
                    "{\"user\":{\"username\":\"robot\",\"password\":\"pa55word\"}}")).path("token").asText();
            byte[] archive = client.withToken(token)
                    .download("/api/v1/packages/redhat-operators/3scale-community-operator/1.0.0/helm/pull");
            assertThat(CnrTestClient.regularFiles(archive)).extracting(CnrTestClient.Entry::name)
                    .containsExactly("bundle.yaml");
        }
    }

    @Test
    void rejectsBadFlags() {
        assertThatThrownBy(() -> FixtureAppRegistryMain.builder(List.of("--bogus", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--bogus");
        assertThatThrownBy(() -> FixtureAppRegistryMain.builder(List.of("--port")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Missing value");
        assertThatThrownBy(() -> FixtureAppRegistryMain.builder(List.of("--username", "robot")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--password-file");
        assertThatThrownBy(() -> FixtureAppRegistryMain.builder(List.of("--port", "http")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
