package dev.catalogautopilot.testing.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.RepositoryRef;
import dev.catalogautopilot.testing.registry.LocalRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RegistryProxyTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<byte[]> get(String host, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + host + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void passesThroughFlipsChosenBlobsAndFailsRequestsAtTheGivenRate() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start();
                RegistryProxy proxy = RegistryProxy.start(registry.url())) {
            RepositoryRef repository = registry.repository("proxy/test");
            byte[] content = "some blob content".getBytes(StandardCharsets.UTF_8);
            Digest digest = registry.client().pushBlob(repository, content);
            String path = "/v2/proxy/test/blobs/" + digest;

            HttpResponse<byte[]> clean = get(proxy.host(), path);
            assertThat(clean.statusCode()).isEqualTo(200);
            assertThat(clean.body()).isEqualTo(content);
            assertThat(clean.headers().firstValue("Docker-Content-Digest")).contains(digest.value());

            proxy.corruptBlob(digest);
            byte[] corrupted = get(proxy.host(), path).body();
            assertThat(corrupted).hasSameSizeAs(content).isNotEqualTo(content);
            assertThat(Digest.sha256(corrupted)).isNotEqualTo(digest);
            assertThat(proxy.corruptedResponses()).isEqualTo(1);

            proxy.failRandomly(1.0, 1);
            assertThat(get(proxy.host(), path).statusCode()).isIn(429, 503);
            assertThat(proxy.injectedFailures()).isEqualTo(1);
            assertThat(proxy.requests()).isEqualTo(3);
        }
    }
}
