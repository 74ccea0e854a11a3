package dev.catalogautopilot.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class RedirectPolicyTest {

    private static final URI HTTPS = URI.create("https://registry.example.com/v2/a/blobs/sha256:00");

    @Test
    void aRedirectFromHttpsToHttpIsRefusedUnlessTheRegistryIsInsecure() {
        URI plain = URI.create("http://storage.example.com/blob");
        assertThat(RegistryClient.downgrades(HTTPS, plain, false)).isTrue();
        assertThat(RegistryClient.downgrades(HTTPS, URI.create("HTTP://storage.example.com/blob"), false)).isTrue();
        assertThat(RegistryClient.downgrades(HTTPS, plain, true)).as("configured insecure").isFalse();
    }

    @Test
    void redirectsThatKeepTlsOrStartWithoutItAreFollowed() {
        assertThat(RegistryClient.downgrades(HTTPS, URI.create("https://storage.example.com/blob"), false)).isFalse();
        assertThat(RegistryClient.downgrades(URI.create("http://127.0.0.1:5000/v2/a"),
                URI.create("http://127.0.0.1:5001/blob"), false)).isFalse();
    }
}
