package dev.catalogautopilot.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialStoreTest {

    private static String auth(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAllEntryForms() {
        CredentialStore store = CredentialStore.fromJson("""
                {"auths": {
                  "quay.io": {"auth": "%s"},
                  "https://index.docker.io/v1/": {"auth": "%s"},
                  "registry.example.com:5000": {"username": "bob", "password": "pw"},
                  "ghcr.io": {"identitytoken": "refresh-me"},
                  "empty.example.com": {}
                },
                "credsStore": "desktop"}
                """.formatted(auth("quser", "qpass:with:colons"), auth("hubuser", "hubpass")));

        assertThat(store.forRegistry("quay.io")).contains(RegistryCredentials.basic("quser", "qpass:with:colons"));
        assertThat(store.forRegistry("docker.io")).contains(RegistryCredentials.basic("hubuser", "hubpass"));
        assertThat(store.forRegistry("index.docker.io")).isEqualTo(store.forRegistry("docker.io"));
        assertThat(store.forRegistry("registry-1.docker.io")).isEqualTo(store.forRegistry("docker.io"));
        assertThat(store.forRegistry("registry.example.com:5000")).contains(RegistryCredentials.basic("bob", "pw"));
        assertThat(store.forRegistry("registry.example.com")).isEmpty();
        assertThat(store.forRegistry("ghcr.io")).hasValueSatisfying(c -> {
            assertThat(c.hasIdentityToken()).isTrue();
            assertThat(c.identityToken()).isEqualTo("refresh-me");
        });
        assertThat(store.forRegistry("empty.example.com")).isEmpty();
        assertThat(store.forRegistry("unknown.example.com")).isEmpty();
    }

    @Test
    void matchesHttpsKeysAndRepositoryScopedEntries() {
        CredentialStore store = CredentialStore.fromJson("""
                {"auths": {
                  "https://quay.io": {"auth": "%s"},
                  "quay.io/team": {"auth": "%s"},
                  "quay.io/team/special": {"auth": "%s"}
                }}
                """.formatted(auth("host", "h"), auth("team", "t"), auth("special", "s")));

        assertThat(store.forRegistry("quay.io").map(RegistryCredentials::username)).contains("host");
        assertThat(store.forRepository("quay.io", "other/app").map(RegistryCredentials::username)).contains("host");
        assertThat(store.forRepository("quay.io", "team/app").map(RegistryCredentials::username)).contains("team");
        assertThat(store.forRepository("quay.io", "team/special").map(RegistryCredentials::username)).contains("special");
    }

    @Test
    void neverPrintsSecrets() {
        RegistryCredentials basic = RegistryCredentials.basic("user", "hunter2");
        RegistryCredentials token = RegistryCredentials.identityToken("user", "tok-123");
        CredentialStore store = CredentialStore.of(Map.of("quay.io", basic, "ghcr.io", token));

        assertThat(basic.toString()).contains("user").doesNotContain("hunter2");
        assertThat(token.toString()).doesNotContain("tok-123");
        assertThat(store.toString()).contains("quay.io", "ghcr.io").doesNotContain("hunter2", "tok-123", "user");
        assertThat(basic.basicAuthorization()).isEqualTo("Basic " + auth("user", "hunter2"));
    }

    @Test
    void reportsBrokenFilesWithoutQuotingThem() {
        assertThatThrownBy(() -> CredentialStore.fromJson("{\"auths\": {\"quay.io\": {\"auth\": \"c2VjcmV0\"}}}"))
                .hasMessageContaining("quay.io").hasMessageNotContaining("c2VjcmV0");
        assertThatThrownBy(() -> CredentialStore.fromJson("{\"auths\": {\"quay.io\": {\"auth\": \"!!!\"}}}"))
                .hasMessageContaining("not base64");
        assertThatThrownBy(() -> CredentialStore.fromJson("{ hunter2"))
                .hasMessageContaining("not valid JSON").hasMessageNotContaining("hunter2");
    }

    @Test
    void defaultLocationsMergeInPrecedenceOrder(@TempDir Path dir) throws IOException {
        Path authFile = dir.resolve("explicit.json");
        Files.writeString(authFile, "{\"auths\":{\"quay.io\":{\"auth\":\"" + auth("explicit", "1") + "\"}}}");
        Path runtime = dir.resolve("run");
        Files.createDirectories(runtime.resolve("containers"));
        Files.writeString(runtime.resolve("containers/auth.json"), "{\"auths\":{\"quay.io\":{\"auth\":\""
                + auth("runtime", "2") + "\"},\"ghcr.io\":{\"auth\":\"" + auth("runtime", "3") + "\"}}}");
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\""
                + auth("docker", "4") + "\"},\"ghcr.io\":{\"auth\":\"" + auth("docker", "5") + "\"}}}");

        CredentialStore store = CredentialStore.fromDefaultLocations(
                Map.of("REGISTRY_AUTH_FILE", authFile.toString(), "XDG_RUNTIME_DIR", runtime.toString()), home);

        assertThat(store.forRegistry("quay.io").map(RegistryCredentials::username)).contains("explicit");
        assertThat(store.forRegistry("ghcr.io").map(RegistryCredentials::username)).contains("runtime");
        assertThat(store.forRegistry("docker.io").map(RegistryCredentials::username)).contains("docker");
        assertThat(CredentialStore.fromDefaultLocations(Map.of(), dir.resolve("nowhere")).isEmpty()).isTrue();
        assertThat(CredentialStore.fromFile(dir.resolve("missing.json")).isEmpty()).isTrue();
    }
}
