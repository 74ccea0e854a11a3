package dev.catalogautopilot.registry;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AuthorizerTest {

    private final Authorizer authorizer = new Authorizer(CredentialStore.empty(),
            Set.of("127.0.0.1:5000", "registry.local:5000")::contains, null, Duration.ofSeconds(1), "test");

    @Test
    void sendsCredentialsToHttpsRealmsOnly() {
        assertThat(authorizer.mayReceiveCredentials(URI.create("https://auth.docker.io/token"), "docker.io")).isTrue();
        assertThat(authorizer.mayReceiveCredentials(URI.create("http://auth.docker.io/token"), "docker.io")).isFalse();
        assertThat(authorizer.mayReceiveCredentials(URI.create("http://quay.io/v2/auth"), "quay.io")).isFalse();
    }

    @Test
    void plainHttpRealmMustBeTheInsecureRegistryItself() {
        assertThat(authorizer.mayReceiveCredentials(URI.create("http://127.0.0.1:5001/token"), "127.0.0.1:5000")).isTrue();
        assertThat(authorizer.mayReceiveCredentials(URI.create("http://registry.local/token"), "registry.local:5000")).isTrue();
        assertThat(authorizer.mayReceiveCredentials(URI.create("http://localhost:5001/token"), "127.0.0.1:5000")).isFalse();
        assertThat(authorizer.mayReceiveCredentials(URI.create("http://evil.example/token"), "127.0.0.1:5000")).isFalse();
        assertThat(authorizer.mayReceiveCredentials(URI.create("http://127.0.0.1/token"), "127.0.0.2:5000")).isFalse();
    }

    @Test
    void hostOfStripsPorts() {
        assertThat(Authorizer.hostOf("127.0.0.1:5000")).isEqualTo("127.0.0.1");
        assertThat(Authorizer.hostOf("quay.io")).isEqualTo("quay.io");
        assertThat(Authorizer.hostOf("[::1]:5000")).isEqualTo("[::1]");
    }
}
