package dev.catalogautopilot.testing.registry;

import com.sun.net.httpserver.HttpServer;
import dev.catalogautopilot.registry.CredentialStore;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.DigestingInputStream;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.Manifest;
import dev.catalogautopilot.registry.MediaTypes;
import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.registry.RegistryCredentials;
import dev.catalogautopilot.registry.RegistryException;
import dev.catalogautopilot.registry.RepositoryRef;
import dev.catalogautopilot.testing.registry.ProtectedRegistry.Scheme;
import dev.catalogautopilot.testing.registry.ProtectedRegistry.SeenRequest;
import dev.catalogautopilot.testing.registry.ProtectedRegistry.TokenRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RegistryClient} authentication, credential hygiene and retries, against a protected real registry. */
class RegistryAuthTest {

    private static final String USER = "alice";
    private static final String PASSWORD = "s3cret-Pa55";

    private static LocalRegistry backend;

    @BeforeAll
    static void startBackend() {
        backend = LocalRegistry.start();
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    @Test
    void bearerFlowSendsCredentialsToRealmAndCachesTokens() {
        try (ProtectedRegistry front = ProtectedRegistry.in(backend).account(USER, PASSWORD).start()) {
            RegistryClient client = clientFor(front, PASSWORD);
            RepositoryRef repo = RepositoryRef.of(front.host(), "auth/app");

            Manifest manifest = pushImage(client, repo, "bearer layer");
            client.putManifest(repo, "v1", manifest.bytes(), manifest.mediaType());
            for (int i = 0; i < 5; i++) {
                assertThat(client.resolve(repo.tag("v1")).digest()).isEqualTo(manifest.digest());
            }
            RepositoryRef other = RepositoryRef.of(front.host(), "auth/other");
            Digest layer = Digest.sha256("bearer layer".getBytes(StandardCharsets.UTF_8));
            assertThat(client.mountBlob(other, layer, repo)).isTrue();

            List<TokenRequest> tokens = front.tokenRequests();
            assertThat(tokens).allSatisfy(t -> {
                assertThat(t.username()).isEqualTo(USER);
                assertThat(t.service()).isEqualTo("protected-registry");
            });
            // One token per distinct scope set: push, pull and mount, however many requests used them.
            assertThat(tokens).extracting(TokenRequest::scopes).containsExactlyInAnyOrder(
                    List.of("repository:auth/app:pull,push"),
                    List.of("repository:auth/app:pull"),
                    List.of("repository:auth/other:pull,push", "repository:auth/app:pull"));
            List<SeenRequest> requests = front.registryRequests();
            assertThat(requests.get(0).authorizationScheme()).isNull();
            assertThat(requests.stream().filter(r -> r.authorizationScheme() == null)).hasSize(1);
            assertThat(requests.subList(1, requests.size())).allSatisfy(r ->
                    assertThat(r.authorizationScheme()).isEqualTo("Bearer"));
        }
    }

    @Test
    void revokedTokenIsReplacedOnce() {
        try (ProtectedRegistry front = ProtectedRegistry.in(backend).account(USER, PASSWORD).start()) {
            RegistryClient client = clientFor(front, PASSWORD);
            RepositoryRef repo = RepositoryRef.of(front.host(), "auth/revoked");
            Manifest manifest = pushImage(client, repo, "revoked layer");
            client.putManifest(repo, "v1", manifest.bytes(), manifest.mediaType());
            int before = front.tokenRequests().size();

            front.revokeTokens();

            assertThat(client.resolve(repo.tag("v1")).digest()).isEqualTo(manifest.digest());
            assertThat(front.tokenRequests()).hasSize(before + 1);
        }
    }

    @Test
    void anonymousClientGetsAnonymousTokenAndCannotPush() {
        try (ProtectedRegistry front = ProtectedRegistry.in(backend).account(USER, PASSWORD).anonymousPull(true).start()) {
            RepositoryRef repo = RepositoryRef.of(front.host(), "auth/public");
            Manifest manifest = pushImage(clientFor(front, PASSWORD), repo, "public layer");
            front.clearRecords();
            RegistryClient anonymous = RegistryClient.builder().insecureRegistries(List.of(front.host())).build();

            assertThat(anonymous.resolve(repo.digest(manifest.digest())).digest()).isEqualTo(manifest.digest());
            assertThatThrownBy(() -> anonymous.pushBlob(repo, "nope".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.statusCode()).isEqualTo(401));
            assertThat(front.tokenRequests()).isNotEmpty().noneMatch(TokenRequest::hadAuthorization);
        }
    }

    @Test
    void neverSendsCredentialsToPlainHttpRealmOnAnotherHost() {
        // The realm names "localhost" while the registry is "127.0.0.1": another host as far as names go.
        try (ProtectedRegistry front = ProtectedRegistry.in(backend).account(USER, PASSWORD)
                .realmHost("localhost").anonymousPull(true).start()) {
            RegistryClient client = clientFor(front, PASSWORD);
            RepositoryRef repo = RepositoryRef.of(front.host(), "auth/foreign");

            assertThat(client.hasManifest(repo.tag("missing"))).isFalse();
            assertThatThrownBy(() -> client.pushBlob(repo, "secret data".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(401);
                        assertThat(e.getMessage()).doesNotContain(PASSWORD).doesNotContain("Bearer ");
                    });
            assertThat(front.tokenRequests()).isNotEmpty().allSatisfy(t -> {
                assertThat(t.hadAuthorization()).isFalse();
                assertThat(t.username()).isNull();
            });
        }
    }

    @Test
    void redirectToAnotherHostCarriesNoAuthorizationAndIsVerified() throws IOException {
        List<String> seenAuthorization = new CopyOnWriteArrayList<>();
        byte[] content = "redirected blob".getBytes(StandardCharsets.UTF_8);
        byte[][] served = {content};
        HttpServer storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        storage.createContext("/", exchange -> {
            try (exchange) {
                seenAuthorization.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                exchange.sendResponseHeaders(200, served[0].length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(served[0]);
                }
            }
        });
        storage.start();
        try (ProtectedRegistry front = ProtectedRegistry.in(backend).account(USER, PASSWORD).start()) {
            RegistryClient client = clientFor(front, PASSWORD);
            RepositoryRef repo = RepositoryRef.of(front.host(), "auth/redirect");
            Digest digest = client.pushBlob(repo, content);
            front.redirectBlobsTo(URI.create("http://127.0.0.1:" + storage.getAddress().getPort()));

            try (InputStream in = client.openBlob(repo, digest)) {
                assertThat(in.readAllBytes()).isEqualTo(content);
            }
            served[0] = "tampered bytes!".getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> {
                try (InputStream in = client.openBlob(repo, digest)) {
                    in.readAllBytes();
                }
            }).isInstanceOf(DigestingInputStream.DigestMismatchException.class);

            assertThat(seenAuthorization).hasSize(2).containsOnly("null");
            assertThat(front.registryRequests()).filteredOn(r -> r.path().contains("/blobs/sha256:") && r.method().equals("GET"))
                    .allSatisfy(r -> assertThat(r.authorizationScheme()).isEqualTo("Bearer"));
        } finally {
            storage.stop(0);
        }
    }

    @Test
    void basicChallengeSendsBasicCredentialsAndReportsRejectionWithoutSecrets() {
        try (ProtectedRegistry front = ProtectedRegistry.in(backend).scheme(Scheme.BASIC).account(USER, PASSWORD).start()) {
            RegistryClient client = clientFor(front, PASSWORD);
            RepositoryRef repo = RepositoryRef.of(front.host(), "auth/basic");

            Manifest manifest = pushImage(client, repo, "basic layer");
            assertThat(client.getManifest(repo.digest(manifest.digest())).bytes()).isEqualTo(manifest.bytes());
            assertThat(front.tokenRequests()).isEmpty();
            assertThat(front.registryRequests().subList(1, front.registryRequests().size()))
                    .allSatisfy(r -> assertThat(r.authorizationScheme()).isEqualTo("Basic"));

            front.clearRecords();
            RegistryClient wrong = clientFor(front, "wrong-password");
            assertThatThrownBy(() -> wrong.resolve(repo.digest(manifest.digest())))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.isUnauthorized()).isTrue();
                        assertThat(e.getMessage()).contains("401").doesNotContain("wrong-password").doesNotContain("Basic ");
                    });
            assertThat(front.registryRequests()).hasSize(2);
        }
    }

    @Test
    void retriesServerErrorsAndThrottlingButNotClientErrors() {
        try (ProtectedRegistry front = ProtectedRegistry.in(backend).scheme(Scheme.BASIC).account(USER, PASSWORD).start()) {
            RegistryClient client = RegistryClient.builder()
                    .insecureRegistries(List.of(front.host()))
                    .credentials(CredentialStore.of(Map.of(front.host(), RegistryCredentials.basic(USER, PASSWORD))))
                    .maxRetries(2).backoffBase(Duration.ofMillis(1)).build();
            RepositoryRef repo = RepositoryRef.of(front.host(), "auth/flaky");
            Manifest manifest = pushImage(client, repo, "flaky layer");
            ImageReference image = repo.digest(manifest.digest());

            front.clearRecords();
            front.failNext(2, 503, null);
            assertThat(client.resolve(image).digest()).isEqualTo(manifest.digest());
            assertThat(front.registryRequests()).hasSize(3);

            front.clearRecords();
            front.failNext(1, 429, "1");
            long start = System.nanoTime();
            assertThat(client.hasManifest(image)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertThat(front.registryRequests()).hasSize(2);

            front.clearRecords();
            front.failNext(1, 400, null);
            assertThatThrownBy(() -> client.getManifest(image))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.errorCode()).isEqualTo("UNAVAILABLE");
                    });
            assertThat(front.registryRequests()).hasSize(1);

            front.clearRecords();
            front.failNext(10, 502, "0");
            assertThatThrownBy(() -> client.resolve(image))
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.statusCode()).isEqualTo(502));
            assertThat(front.registryRequests()).hasSize(3);
            front.failNext(0, 200, null);
        }
    }

    @Test
    void resolvesByHashingWhenTheRegistryOmitsTheDigestHeader() {
        try (ProtectedRegistry front = ProtectedRegistry.in(backend).scheme(Scheme.BASIC).account(USER, PASSWORD).start()) {
            RegistryClient client = clientFor(front, PASSWORD);
            RepositoryRef repo = RepositoryRef.of(front.host(), "auth/nodigest");
            Manifest manifest = pushImage(client, repo, "no digest header");
            client.putManifest(repo, "v1", manifest.bytes(), manifest.mediaType());
            front.omitDigestHeaders(true);
            front.clearRecords();

            assertThat(client.resolve(repo.tag("v1")))
                    .isEqualTo(new dev.catalogautopilot.registry.Descriptor(MediaTypes.OCI_MANIFEST, manifest.digest(), manifest.size()));
            assertThat(front.registryRequests()).extracting(SeenRequest::method).containsExactly("HEAD", "GET");
        }
    }

    @Test
    void rejectsManifestsThatDoNotMatchTheRequestedDigest() {
        try (ProtectedRegistry front = ProtectedRegistry.in(backend).scheme(Scheme.BASIC).account(USER, PASSWORD).start()) {
            RegistryClient client = clientFor(front, PASSWORD);
            RepositoryRef repo = RepositoryRef.of(front.host(), "auth/tampered");
            Manifest manifest = pushImage(client, repo, "tampered");
            front.tamperManifests(true);

            assertThatThrownBy(() -> client.getManifest(repo.digest(manifest.digest())))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo("DIGEST_INVALID");
                        assertThat(e.getMessage()).contains(manifest.digest().toString());
                    });
        }
    }

    @Test
    void connectionErrorsAreRetriedThenReported() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String host = "127.0.0.1:" + closedPort;
        RegistryClient client = RegistryClient.builder().insecureRegistries(List.of(host))
                .maxRetries(2).backoffBase(Duration.ofMillis(1)).build();

        assertThatThrownBy(() -> client.resolve(ImageReference.parse(host + "/nothing/here:v1")))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.statusCode()).isZero();
                    assertThat(e.getMessage()).contains("resolve", "after 3 attempt(s)", "ConnectException");
                });
    }

    private static RegistryClient clientFor(ProtectedRegistry front, String password) {
        return RegistryClient.builder()
                .insecureRegistries(List.of(front.host()))
                .credentials(CredentialStore.of(Map.of(front.host(), RegistryCredentials.basic(USER, password))))
                .build();
    }

    private static Manifest pushImage(RegistryClient client, RepositoryRef repo, String layerText) {
        Digest layer = client.pushBlob(repo, layerText.getBytes(StandardCharsets.UTF_8));
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        Digest configDigest = client.pushBlob(repo, config);
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length
                + "},\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER + "\",\"digest\":\"" + layer + "\",\"size\":"
                + layerText.length() + "}]}";
        Manifest manifest = Manifest.of(MediaTypes.OCI_MANIFEST, json.getBytes(StandardCharsets.UTF_8));
        client.putManifest(repo, manifest.digest().value(), manifest.bytes(), manifest.mediaType());
        return manifest;
    }
}
