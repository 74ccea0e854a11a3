package dev.catalogautopilot.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every body read of the client fails after the idle timeout when a peer sends headers and then stalls. The request
 * timeout is far longer than the test's bound, so only the idle timeout can end these reads; without it each test
 * would hang until its {@link Timeout}.
 */
@Timeout(30)
class StalledBodyTest {

    private static final Duration IDLE = Duration.ofMillis(300);
    private static final String MANIFEST = "/v2/app/manifests/v1";

    private StallingServer server;

    @BeforeEach
    void start() throws IOException {
        server = new StallingServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RegistryClient client(long socketThreshold) {
        return RegistryClient.builder().insecureRegistries(List.of(server.host())).maxRetries(0)
                .requestTimeout(Duration.ofMinutes(10)).idleTimeout(IDLE).socketThreshold(socketThreshold).build();
    }

    private ImageReference image() {
        return ImageReference.parse(server.host() + "/app:v1");
    }

    @Test
    void aManifestBodyThatStalls() {
        server.route("GET", MANIFEST, server.stallAfter(200,
                Map.of("Content-Type", MediaTypes.OCI_MANIFEST), 2000, 10));

        assertThatThrownBy(() -> client(Long.MAX_VALUE).getManifest(image()))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("get manifest")
                .hasMessageContaining("idle timeout")
                .satisfies(StalledBodyTest::timedOutIdle);
    }

    @Test
    void aBlobBodyThatStalls() {
        Digest digest = Digest.sha256(new byte[2000]);
        server.route("GET", "/v2/app/blobs/" + digest.value(), server.stallAfter(200, Map.of(), 2000, 10));

        assertThatThrownBy(() -> client(Long.MAX_VALUE).getBlob(RepositoryRef.of(server.host(), "app"), digest))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("idle timeout")
                .satisfies(StalledBodyTest::timedOutIdle);
    }

    @Test
    void aTagListThatStalls() {
        server.route("GET", "/v2/app/tags/list", server.stallAfter(200,
                Map.of("Content-Type", "application/json"), 2000, 10));

        assertThatThrownBy(() -> client(Long.MAX_VALUE).listTags(RepositoryRef.of(server.host(), "app")))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("list tags")
                .satisfies(StalledBodyTest::timedOutIdle);
    }

    @Test
    void anErrorBodyThatStallsStillReportsTheStatus() {
        server.route("GET", MANIFEST, server.stallAfter(404, Map.of("Content-Type", "application/json"), 2000, 10));

        assertThatThrownBy(() -> client(Long.MAX_VALUE).getManifest(image()))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.statusCode()).isEqualTo(404))
                .hasMessageContaining("HTTP 404");
    }

    @Test
    void aTokenAnswerThatStalls() {
        server.route("GET", MANIFEST, StallingServer.answer(401, Map.of("WWW-Authenticate",
                "Bearer realm=\"http://" + server.host() + "/token\",service=\"test\""), new byte[0]));
        server.route("GET", "/token", server.stallAfter(200, Map.of("Content-Type", "application/json"), 2000, 10));

        assertThatThrownBy(() -> client(Long.MAX_VALUE).getManifest(image()))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("Token request")
                .satisfies(StalledBodyTest::timedOutIdle);
    }

    /** Both copy paths: the HttpClient's streamed pipe (threshold off) and plain sockets (every blob). */
    @ParameterizedTest
    @ValueSource(longs = {Long.MAX_VALUE, 1})
    void aCopyWhoseSourceStallsMidBody(long socketThreshold) {
        byte[] content = new byte[64 * 1024];
        new Random(1).nextBytes(content);
        Digest digest = Digest.sha256(content);
        server.route("GET", "/v2/app/blobs/" + digest.value(), server.stallAfter(200, Map.of(), content.length, 1000));
        uploadsTo("/v2/copy/blobs/uploads/", StallingServer.consume(201, Map.of()));

        assertThatThrownBy(() -> client(socketThreshold).copyBlob(RepositoryRef.of(server.host(), "app"),
                RepositoryRef.of(server.host(), "copy"), digest, content.length))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("idle timeout");
    }

    /**
     * A target that takes the upload's headers and then stops reading, on the socket path; the blob outgrows the
     * socket buffers. (On the HttpClient path the blocked upload is bounded by the request timeout, which runs until
     * the target answers.)
     */
    @Test
    void aCopyOverSocketsWhoseTargetStopsReading() {
        long socketThreshold = 1;
        byte[] content = new byte[32 * 1024 * 1024];
        new Random(2).nextBytes(content);
        Digest digest = Digest.sha256(content);
        server.route("GET", "/v2/app/blobs/" + digest.value(), StallingServer.answer(200, Map.of(), content));
        uploadsTo("/v2/copy/blobs/uploads/", server.neverRead());

        assertThatThrownBy(() -> client(socketThreshold).copyBlob(RepositoryRef.of(server.host(), "app"),
                RepositoryRef.of(server.host(), "copy"), digest, content.length))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("idle timeout");
    }

    @Test
    void aBodyThatKeepsComingIsNotCut() {
        byte[] content = new byte[25 * 4096];
        new Random(3).nextBytes(content);
        Digest digest = Digest.sha256(content);
        server.route("GET", "/v2/app/blobs/" + digest.value(), exchange -> {
            exchange.sendResponseHeaders(200, content.length);
            // Slower in total than the idle timeout (2.5 s against 2 s), never idle for long.
            for (int offset = 0; offset < content.length; offset += 4096) {
                exchange.getResponseBody().write(content, offset, 4096);
                exchange.getResponseBody().flush();
                Thread.sleep(100);
            }
        });
        RegistryClient patient = RegistryClient.builder().insecureRegistries(List.of(server.host())).maxRetries(0)
                .idleTimeout(Duration.ofSeconds(2)).build();

        assertThat(patient.getBlob(RepositoryRef.of(server.host(), "app"), digest)).isEqualTo(content);
    }

    private void uploadsTo(String start, StallingServer.Route put) {
        server.route("POST", start, StallingServer.answer(202, Map.of("Location", start + "session-1"), new byte[0]));
        server.route("PUT", start + "session-1", put);
    }

    /** The failure names the idle timeout, and the read that hit it failed with {@link SocketTimeoutException}. */
    private static void timedOutIdle(Throwable e) {
        assertThat(e).hasMessageContaining("idle timeout");
        List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.add(t);
        }
        assertThat(chain).anySatisfy(cause -> assertThat(cause).isInstanceOf(SocketTimeoutException.class));
    }
}
