package dev.catalogautopilot.testing.registry;

import dev.catalogautopilot.testing.http.LoopbackHttpServer;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An authenticating front for a {@link LocalRegistry}: challenges with Bearer (serving its own token endpoint) or
 * Basic, checks scopes per repository and action, forwards allowed requests, and records what clients sent.
 * It can also inject failures and redirect blob downloads, to test retries and credential hygiene.
 */
public final class ProtectedRegistry implements AutoCloseable {

    /** The challenge scheme the front answers with. */
    public enum Scheme { BEARER, BASIC }

    /** A request to the token endpoint: the Basic username it carried (null if none) and the scopes asked for. */
    public record TokenRequest(String username, boolean hadAuthorization, String service, List<String> scopes) {
    }

    /** A registry API request as it arrived: method, path and the scheme of its Authorization header (or null). */
    public record SeenRequest(String method, String path, String authorizationScheme) {
    }

    private static final String SERVICE = "protected-registry";

    private final LocalRegistry backend;
    private final Scheme scheme;
    private final String username;
    private final String password;
    private final String realmHost;
    private final boolean anonymousPull;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final HttpClient forwarder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Set<String>> grants = new ConcurrentHashMap<>();
    private final List<TokenRequest> tokenRequests = new CopyOnWriteArrayList<>();
    private final List<SeenRequest> registryRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger pendingFailures = new AtomicInteger();
    private volatile int failureStatus;
    private volatile String failureRetryAfter;
    private volatile URI blobRedirect;
    private volatile boolean omitDigestHeaders;
    private volatile boolean tamperManifests;

    private ProtectedRegistry(Builder b) {
        this.backend = b.backend;
        this.scheme = b.scheme;
        this.username = b.username;
        this.password = b.password;
        this.realmHost = b.realmHost;
        this.anonymousPull = b.anonymousPull;
        try {
            server = LoopbackHttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind a loopback port", e);
        }
        server.setExecutor(executor);
        server.createContext("/token", this::token);
        server.createContext("/v2/", this::registry);
        server.start();
    }

    /** A front for {@code backend}; configure it, then {@link Builder#start()}. */
    public static Builder in(LocalRegistry backend) {
        return new Builder(backend);
    }

    /** {@code 127.0.0.1:PORT}, the registry part of image references. */
    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public URI url() {
        return URI.create("http://" + host());
    }

    /** The token endpoint named in Bearer challenges. */
    public URI realm() {
        return URI.create("http://" + realmHost + ":" + server.getAddress().getPort() + "/token");
    }

    /** Every token request so far. */
    public List<TokenRequest> tokenRequests() {
        return List.copyOf(tokenRequests);
    }

    /** Every registry API request so far. */
    public List<SeenRequest> registryRequests() {
        return List.copyOf(registryRequests);
    }

    /** Answers the next {@code count} registry requests with {@code status} (and {@code Retry-After}, if not null). */
    public void failNext(int count, int status, String retryAfter) {
        failureStatus = status;
        failureRetryAfter = retryAfter;
        pendingFailures.set(count);
    }

    /** Redirects blob downloads to {@code base + "/blobs/" + digest}; null stops redirecting. */
    public void redirectBlobsTo(URI base) {
        blobRedirect = base;
    }

    /** Drops {@code Docker-Content-Digest} from answers, as some registries and proxies do. */
    public void omitDigestHeaders(boolean omit) {
        omitDigestHeaders = omit;
    }

    /** Appends a byte to every manifest served, as a compromised mirror might alter content. */
    public void tamperManifests(boolean tamper) {
        tamperManifests = tamper;
    }

    /** Invalidates every token issued so far. */
    public void revokeTokens() {
        grants.clear();
    }

    /** Forgets the recorded requests. */
    public void clearRecords() {
        tokenRequests.clear();
        registryRequests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String presentedUser = basicUser(authorization);
            Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
            List<String> scopes = query.getOrDefault("scope", List.of());
            tokenRequests.add(new TokenRequest(presentedUser, authorization != null,
                    query.getOrDefault("service", List.of("")).get(0), scopes));
            boolean authenticated = authorization != null && isValidBasic(authorization);
            if (authorization != null && !authenticated) {
                respond(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
                return;
            }
            Set<String> granted = new HashSet<>();
            for (String scope : scopes) {
                String[] parts = scope.split(":");
                if (parts.length != 3 || !parts[0].equals("repository")) {
                    continue;
                }
                for (String action : parts[2].split(",")) {
                    if (authenticated || anonymousPull && action.equals("pull")) {
                        granted.add(parts[1] + ":" + action);
                    }
                }
            }
            String token = UUID.randomUUID().toString();
            grants.put(token, granted);
            respond(exchange, 200, "{\"token\":\"" + token + "\",\"expires_in\":300}");
        }
    }

    private void registry(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            registryRequests.add(new SeenRequest(method, uri.getRawPath(),
                    authorization == null ? null : authorization.split(" ", 2)[0]));
            if (pendingFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                if (failureRetryAfter != null) {
                    exchange.getResponseHeaders().set("Retry-After", failureRetryAfter);
                }
                exchange.getRequestBody().readAllBytes();
                respond(exchange, failureStatus, "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"injected\"}]}");
                return;
            }
            List<String> required = requiredGrants(method, uri);
            if (!authorized(authorization, required)) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("WWW-Authenticate", challenge(required, authorization != null));
                respond(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
                return;
            }
            URI redirect = blobRedirect;
            if (redirect != null && (method.equals("GET")) && uri.getRawPath().matches("/v2/.+/blobs/sha256:[0-9a-f]{64}")) {
                String digest = uri.getRawPath().substring(uri.getRawPath().lastIndexOf('/') + 1);
                exchange.getResponseHeaders().set("Location", redirect + "/blobs/" + digest);
                exchange.sendResponseHeaders(307, -1);
                return;
            }
            forward(exchange);
        }
    }

    private boolean authorized(String authorization, List<String> required) {
        if (authorization == null) {
            return false;
        }
        if (scheme == Scheme.BASIC) {
            return isValidBasic(authorization);
        }
        if (!authorization.startsWith("Bearer ")) {
            return false;
        }
        Set<String> granted = grants.get(authorization.substring("Bearer ".length()));
        return granted != null && granted.containsAll(required);
    }

    private String challenge(List<String> required, boolean insufficient) {
        if (scheme == Scheme.BASIC) {
            return "Basic realm=\"" + SERVICE + "\"";
        }
        StringBuilder c = new StringBuilder("Bearer realm=\"").append(realm()).append("\",service=\"").append(SERVICE)
                .append('"');
        if (!required.isEmpty()) {
            String first = required.get(0);
            int colon = first.lastIndexOf(':');
            c.append(",scope=\"repository:").append(first, 0, colon).append(':').append(first.substring(colon + 1))
                    .append('"');
        }
        if (insufficient) {
            c.append(",error=\"insufficient_scope\"");
        }
        return c.toString();
    }

    /** {@code repository:action} pairs a request needs; the mount source needs pull. */
    private static List<String> requiredGrants(String method, URI uri) {
        String path = uri.getRawPath();
        List<String> required = new ArrayList<>();
        for (String marker : List.of("/manifests/", "/blobs/", "/tags/")) {
            int at = path.indexOf(marker);
            if (at > 4) {
                String repository = path.substring(4, at);
                String action = switch (method) {
                    case "GET", "HEAD" -> "pull";
                    case "DELETE" -> marker.equals("/manifests/") ? "delete" : "push";
                    default -> "push";
                };
                required.add(repository + ":" + action);
                List<String> from = query(uri.getRawQuery()).get("from");
                if (from != null) {
                    required.add(from.get(0) + ":pull");
                }
                break;
            }
        }
        return required;
    }

    private void forward(HttpExchange exchange) throws IOException {
        URI target = URI.create(backend.url() + exchange.getRequestURI().toString());
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofMinutes(2))
                .method(exchange.getRequestMethod(), body.length == 0 && !hasBody(exchange.getRequestMethod())
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : List.of("Accept", "Content-Type")) {
            List<String> values = exchange.getRequestHeaders().get(header);
            if (values != null) {
                values.forEach(v -> request.header(header, v));
            }
        }
        HttpResponse<InputStream> response;
        try {
            response = forwarder.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        Headers out = exchange.getResponseHeaders();
        List<String> copied = new ArrayList<>(List.of("Content-Type", "Location", "Link", "Range",
                "Docker-Upload-UUID", "Docker-Distribution-Api-Version"));
        if (!omitDigestHeaders) {
            copied.add("Docker-Content-Digest");
        }
        for (String header : copied) {
            response.headers().allValues(header).forEach(v -> out.add(header,
                    v.replace(backend.url().toString(), url().toString())));
        }
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (InputStream in = response.body()) {
            if (exchange.getRequestMethod().equals("HEAD")) {
                if (length >= 0 && !tamperManifests) {
                    out.set("Content-Length", Long.toString(length));
                }
                exchange.sendResponseHeaders(response.statusCode(), -1);
                return;
            }
            byte[] bytes = in.readAllBytes();
            if (tamperManifests && response.statusCode() == 200 && exchange.getRequestURI().getRawPath().contains("/manifests/")) {
                bytes = Arrays.copyOf(bytes, bytes.length + 1);
                bytes[bytes.length - 1] = ' ';
            }
            exchange.sendResponseHeaders(response.statusCode(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(bytes);
                }
            }
        }
    }

    private static boolean hasBody(String method) {
        return method.equals("PUT") || method.equals("POST") || method.equals("PATCH");
    }

    private boolean isValidBasic(String authorization) {
        String expected = "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return username != null && expected.equals(authorization);
    }

    private static String basicUser(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return null;
        }
        try {
            String pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
            return pair.contains(":") ? pair.substring(0, pair.indexOf(':')) : pair;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> params = new ConcurrentHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }

    @Override
    public String toString() {
        return "ProtectedRegistry[" + scheme + " " + host() + " -> " + backend.host() + "]";
    }

    /** Configures a {@link ProtectedRegistry}. */
    public static final class Builder {
        private final LocalRegistry backend;
        private Scheme scheme = Scheme.BEARER;
        private String username;
        private String password;
        private String realmHost = "127.0.0.1";
        private boolean anonymousPull;

        private Builder(LocalRegistry backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
        }

        /** Bearer (default) or Basic challenges. */
        public Builder scheme(Scheme scheme) {
            this.scheme = scheme;
            return this;
        }

        /** The one account that may pull and push. */
        public Builder account(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** The host name put into the realm URL; another name than 127.0.0.1 makes the realm a foreign host. */
        public Builder realmHost(String realmHost) {
            this.realmHost = realmHost;
            return this;
        }

        /** Whether anonymous token requests get pull access. */
        public Builder anonymousPull(boolean anonymousPull) {
            this.anonymousPull = anonymousPull;
            return this;
        }

        public ProtectedRegistry start() {
            return new ProtectedRegistry(this);
        }
    }
}
