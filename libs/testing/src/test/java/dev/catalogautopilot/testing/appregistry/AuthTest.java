package dev.catalogautopilot.testing.appregistry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A fixture that requires the CNR login token. */
class AuthTest {

    private static final String NS = FixtureAppRegistry.DEFAULT_NAMESPACE;
    private static final String PASSWORD = "s3cret-Pa55";

    private static FixtureAppRegistry registry;
    private static CnrTestClient anonymous;

    @BeforeAll
    static void start() {
        registry = FixtureAppRegistry.builder().requireAuth("robot", PASSWORD).start();
        anonymous = new CnrTestClient(registry.baseUrl());
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void everyApiCallNeedsAToken() {
        String digest = registry.latest("etcd").digest();
        for (String path : List.of(
                "/api/v1/packages?namespace=" + NS,
                "/api/v1/packages/" + NS + "/etcd",
                "/api/v1/packages/" + NS + "/etcd/1.0.0/helm",
                "/api/v1/packages/" + NS + "/etcd/1.0.0/helm/pull",
                "/api/v1/packages/" + NS + "/etcd/blobs/sha256/" + digest)) {
            HttpResponse<byte[]> response = anonymous.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            JsonNode error = CnrTestClient.json(response).path("error");
            assertThat(error.path("code").asText()).isEqualTo("unauthorized-access");
            assertThat(error.path("message").asText()).isNotEmpty();
        }
    }

    @Test
    void loginTokenOpensTheApi() {
        HttpResponse<byte[]> login = anonymous.post("/api/v1/users/login",
                "{\"user\":{\"username\":\"robot\",\"password\":\"" + PASSWORD + "\"}}");

        assertThat(login.statusCode()).isEqualTo(200);
        String token = CnrTestClient.json(login).path("token").asText();
        assertThat(token).isNotEmpty().doesNotContain(PASSWORD);
        CnrTestClient authorized = anonymous.withToken(token);
        assertThat(authorized.getJson("/api/v1/packages?namespace=" + NS)).hasSize(25);
        String digest = registry.latest("etcd").digest();
        assertThat(CnrTestClient.sha256(authorized.download("/api/v1/packages/" + NS + "/etcd/blobs/sha256/" + digest)))
                .isEqualTo(digest);
    }

    @Test
    void wrongCredentialsOrTokenAreRejected() {
        HttpResponse<byte[]> wrongPassword = anonymous.post("/api/v1/users/login",
                "{\"user\":{\"username\":\"robot\",\"password\":\"guess\"}}");
        HttpResponse<byte[]> wrongUser = anonymous.post("/api/v1/users/login",
                "{\"user\":{\"username\":\"someone\",\"password\":\"" + PASSWORD + "\"}}");
        HttpResponse<byte[]> missingFields = anonymous.post("/api/v1/users/login", "{\"user\":{}}");
        HttpResponse<byte[]> notJson = anonymous.post("/api/v1/users/login", "user=robot");

        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(CnrTestClient.json(wrongPassword).path("error").path("code").asText())
                .isEqualTo("unauthorized-access");
        assertThat(CnrTestClient.text(wrongPassword)).doesNotContain("guess");
        assertThat(wrongUser.statusCode()).isEqualTo(401);
        assertThat(missingFields.statusCode()).isEqualTo(400);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(anonymous.withToken("basic cm9ib3Q6Z3Vlc3M=").get("/api/v1/packages").statusCode()).isEqualTo(401);
    }

    @Test
    void credentialsStayOutOfToString() {
        assertThat(registry.toString()).doesNotContain(PASSWORD);
        assertThat(new CnrCredentials("robot", PASSWORD).toString()).doesNotContain(PASSWORD);
    }

    @Test
    void anOpenFixtureIgnoresTokens() {
        try (FixtureAppRegistry open = FixtureAppRegistry.builder().start()) {
            CnrTestClient client = new CnrTestClient(open.baseUrl());
            assertThat(client.get("/api/v1/packages").statusCode()).isEqualTo(200);
            assertThat(client.post("/api/v1/users/login", "{\"user\":{\"username\":\"a\",\"password\":\"b\"}}")
                    .statusCode()).isEqualTo(200);
        }
    }
}
