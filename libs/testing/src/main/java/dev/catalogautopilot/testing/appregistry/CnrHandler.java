package dev.catalogautopilot.testing.appregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.catalogautopilot.registry.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/** Serves the App Registry (CNR) API under {@code /cnr} and the fixture's admin endpoint under {@code /admin}. */
final class CnrHandler implements HttpHandler {

    static final String CONTENT_MEDIA_TYPE = "application/vnd.cnr.package.helm.v1.tar+gzip";
    static final String MANIFEST_MEDIA_TYPE = "application/vnd.cnr.package-manifest.helm.v1.json";
    static final String PADDING_FIELD = "x-fixture-padding";
    private static final String HELM = "helm";
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = CnrResponse.JSON;
    private static final int MAX_LOGIN_BODY = 64 * 1024;
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");

    private final RegistryState state;
    private final String namespace;
    private final Faults faults;
    private final Map<CnrEndpoint, AtomicLong> counts;
    private final CnrCredentials credentials;

    CnrHandler(RegistryState state, String namespace, Faults faults, Map<CnrEndpoint, AtomicLong> counts,
               CnrCredentials credentials) {
        this.state = state;
        this.namespace = namespace;
        this.faults = faults;
        this.counts = counts;
        this.credentials = credentials;
    }

    /** CNR's timestamps: Python's {@code isoformat()} of a naive UTC time, microseconds only when non-zero. */
    static String isoformat(Instant instant) {
        LocalDateTime time = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        return (time.getNano() == 0 ? SECONDS : MICROS).format(time);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            CnrResponse response;
            try {
                response = route(exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                response = CnrResponse.error(503, "internal-error", "Server is stopping", Map.of());
            } catch (RuntimeException e) {
                String message = e.getClass().getSimpleName() + ": " + e.getMessage();
                response = CnrResponse.error(500, "internal-error", message, Map.of());
            }
            response.send(exchange);
        } finally {
            exchange.close();
        }
    }

    private CnrResponse route(HttpExchange exchange) throws IOException, InterruptedException {
        String rawPath = exchange.getRequestURI().getRawPath();
        Optional<List<String>> parsed = segments(rawPath);
        if (parsed.isEmpty()) {
            return CnrResponse.error(400, "invalid-usage", "Path not allowed: " + abbreviate(rawPath),
                    Map.of("path", abbreviate(rawPath)));
        }
        List<String> s = parsed.get();
        String method = exchange.getRequestMethod();
        if (!s.isEmpty() && s.get(0).equals("admin")) {
            return admin(method, s);
        }
        if (s.size() == 2 && s.get(0).equals("cnr") && s.get(1).equals("version")) {
            return CnrResponse.json(200, JSON.createObjectNode().put("cnr-api", "fixture"));
        }
        if (s.size() < 4 || !s.subList(0, 3).equals(List.of("cnr", "api", "v1"))) {
            return notFoundPath(rawPath);
        }
        List<String> api = s.subList(3, s.size());
        if (api.equals(List.of("users", "login"))) {
            return call(exchange, CnrEndpoint.LOGIN, "POST", () -> login(exchange));
        }
        if (!api.get(0).equals("packages")) {
            return notFoundPath(rawPath);
        }
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        switch (api.size()) {
            case 1:
                return call(exchange, CnrEndpoint.LISTING, "GET", () -> listing(query));
            case 3:
                return call(exchange, CnrEndpoint.RELEASES, "GET", () -> releases(api.get(1), api.get(2), query));
            case 5:
                return call(exchange, CnrEndpoint.RELEASE, "GET",
                        () -> release(api.get(1), api.get(2), api.get(3), api.get(4)));
            case 6:
                if (api.get(3).equals("blobs") && api.get(4).equals("sha256")) {
                    return call(exchange, CnrEndpoint.BLOB, "GET",
                            () -> blob(api.get(1), api.get(2), api.get(5), query));
                }
                if (api.get(5).equals("pull")) {
                    return call(exchange, CnrEndpoint.PULL, "GET",
                            () -> pull(api.get(1), api.get(2), api.get(3), api.get(4), query));
                }
                return notFoundPath(rawPath);
            default:
                return notFoundPath(rawPath);
        }
    }

    private CnrResponse call(HttpExchange exchange, CnrEndpoint endpoint, String method, Answer answer)
            throws IOException, InterruptedException {
        if (!exchange.getRequestMethod().equals(method)) {
            return CnrResponse.error(405, "invalid-usage", "Method " + exchange.getRequestMethod() + " not allowed",
                    Map.of()).withHeader("Allow", method);
        }
        counts.get(endpoint).incrementAndGet();
        if (endpoint != CnrEndpoint.LOGIN && !authorized(exchange)) {
            return CnrResponse.error(401, "unauthorized-access", "Authentication required: send the token from "
                    + "/api/v1/users/login in the Authorization header", Map.of());
        }
        Fault fault = faults.take(endpoint).orElse(null);
        if (fault instanceof Fault.Delay delay) {
            Thread.sleep(delay.delay().toMillis());
            fault = null;
        }
        if (fault instanceof Fault.Status status) {
            CnrResponse failure = CnrResponse.error(status.code(), "internal-error",
                    "Injected fault: HTTP " + status.code(), Map.of());
            return status.code() == 429 || status.code() == 503 ? failure.withHeader("Retry-After", "1") : failure;
        }
        CnrResponse response = answer.get();
        if (fault instanceof Fault.MalformedJson) {
            // A response cut off mid-way: never valid JSON, since every body is an object or an array.
            return response.withBody(Arrays.copyOf(response.body(), Math.max(1, response.body().length / 2)));
        }
        if (fault instanceof Fault.Oversized oversized) {
            return response.withBody(pad(response.body(), oversized.bytes()));
        }
        return response;
    }

    private CnrResponse login(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readNBytes(MAX_LOGIN_BODY);
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            request = JSON.createObjectNode(); // CNR reads the body leniently and reports the missing fields
        }
        JsonNode user = request == null ? JSON.missingNode() : request.path("user");
        String username = user.path("username").asText("");
        String password = user.path("password").asText("");
        if (username.isEmpty() || password.isEmpty()) {
            return CnrResponse.error(400, "invalid-usage", "Missing username or password", Map.of());
        }
        if (credentials != null && !credentials.matches(username, password)) {
            return CnrResponse.error(401, "unauthorized-access", "Invalid Username or Password", Map.of());
        }
        return CnrResponse.json(200, JSON.createObjectNode().put("token", CnrCredentials.tokenFor(username, password)));
    }

    private CnrResponse listing(Map<String, String> query) {
        ArrayNode result = JSON.createArrayNode();
        String requested = query.get("namespace");
        String mediaType = query.get("media_type");
        if ((requested != null && !requested.equals(namespace)) || (mediaType != null && !mediaType.equals(HELM))) {
            return CnrResponse.json(200, result);
        }
        for (StoredPackage pkg : state.packages()) {
            ObjectNode item = result.addObject()
                    .put("name", namespace + "/" + pkg.name())
                    .put("namespace", namespace)
                    .put("default", pkg.latest().release());
            ArrayNode releases = item.putArray("releases");
            pkg.releases().forEach(r -> releases.add(r.release()));
            item.putArray("manifests").add(HELM);
            item.putArray("channels");
            item.put("visibility", "public")
                    .put("created_at", isoformat(pkg.createdAt()))
                    .put("updated_at", isoformat(pkg.updatedAt()));
        }
        return CnrResponse.json(200, result);
    }

    private CnrResponse releases(String ns, String name, Map<String, String> query) {
        Optional<StoredPackage> pkg = lookup(ns, name);
        if (pkg.isEmpty()) {
            return packageNotFound(ns, name, null, null);
        }
        ArrayNode result = JSON.createArrayNode();
        String mediaType = query.get("media_type");
        if (mediaType != null && !mediaType.equals(HELM)) {
            return CnrResponse.json(200, result);
        }
        for (StoredRelease release : pkg.get().releases()) {
            ReleaseArchive archive = release.archive();
            ObjectNode item = result.addObject()
                    .put("package", ns + "/" + name)
                    .put("release", release.release())
                    .put("mediaType", HELM)
                    .putNull("metadata")
                    .put("created_at", isoformat(release.createdAt()))
                    .put("digest", manifestDigest(archive));
            item.set("content", content(archive));
        }
        return CnrResponse.json(200, result);
    }

    private CnrResponse release(String ns, String name, String releaseName, String mediaType) {
        Optional<StoredRelease> release = lookupRelease(ns, name, releaseName, mediaType);
        if (release.isEmpty()) {
            return packageNotFound(ns, name, releaseName, mediaType);
        }
        ReleaseArchive archive = release.get().archive();
        ObjectNode result = JSON.createObjectNode()
                .put("package", ns + "/" + name)
                .put("release", releaseName);
        result.putArray("channels");
        result.put("created_at", isoformat(release.get().createdAt()))
                .put("digest", manifestDigest(archive))
                .put("mediaType", MANIFEST_MEDIA_TYPE);
        result.set("content", content(archive));
        return CnrResponse.json(200, result);
    }

    private CnrResponse blob(String ns, String name, String digest, Map<String, String> query) {
        if (!DIGEST.matcher(digest).matches()) {
            return CnrResponse.error(400, "invalid-usage", "Invalid digest: expected 64 lowercase hex characters",
                    Map.of("digest", abbreviate(digest)));
        }
        Optional<StoredRelease> release = lookup(ns, name).flatMap(p -> p.releaseWithDigest(digest));
        if (release.isEmpty() || faults.blobMissing(name)) {
            return packageNotFound(ns, name, digest, null);
        }
        String filename = ns + "_" + name + "_" + digest.substring(0, 8) + ".tar.gz";
        return archive(ns + "/" + name, digest, filename, release.get().archive().bytes(), name, query);
    }

    private CnrResponse pull(String ns, String name, String releaseName, String mediaType, Map<String, String> query) {
        Optional<StoredRelease> release = lookupRelease(ns, name, releaseName, mediaType);
        if (release.isEmpty() || faults.blobMissing(name)) {
            return packageNotFound(ns, name, releaseName, mediaType);
        }
        String filename = ns + "_" + name + "_" + releaseName + ".tar.gz";
        return archive(ns + "/" + name, releaseName, filename, release.get().archive().bytes(), name, query);
    }

    private CnrResponse archive(String pkg, String release, String filename, byte[] bytes, String name,
                             Map<String, String> query) {
        byte[] served = bytes;
        if (faults.blobCorrupt(name)) {
            served = bytes.clone();
            served[served.length / 2] ^= 0x01;
        }
        if ("json".equals(query.get("format"))) {
            return CnrResponse.json(200, JSON.createObjectNode()
                    .put("package", pkg)
                    .put("blob", Base64.getEncoder().encodeToString(served))
                    .put("release", release)
                    .put("filename", filename));
        }
        return new CnrResponse(200, "application/x-gzip", served, Map.of("Content-Disposition", filename));
    }

    private CnrResponse admin(String method, List<String> s) {
        if (s.size() != 3 || !s.get(1).equals("publish")) {
            return notFoundPath("/" + String.join("/", s));
        }
        if (!method.equals("POST")) {
            return CnrResponse.error(405, "invalid-usage", "Method " + method + " not allowed", Map.of())
                    .withHeader("Allow", "POST");
        }
        String name = s.get(2);
        if (state.find(name).isEmpty()) {
            return packageNotFound(namespace, name, null, null);
        }
        PublishedRelease published = state.publish(name, null);
        return CnrResponse.json(200, JSON.createObjectNode()
                .put("package", namespace + "/" + published.packageName())
                .put("release", published.release())
                .put("digest", published.digest())
                .put("size", published.size())
                .put("created_at", isoformat(published.createdAt())));
    }

    private Optional<StoredPackage> lookup(String ns, String name) {
        return ns.equals(namespace) ? state.find(name) : Optional.empty();
    }

    private Optional<StoredRelease> lookupRelease(String ns, String name, String release, String mediaType) {
        if (!mediaType.equals(HELM)) {
            return Optional.empty();
        }
        return lookup(ns, name).flatMap(p -> p.release(release));
    }

    private boolean authorized(HttpExchange exchange) {
        if (credentials == null) {
            return true;
        }
        return credentials.authorizes(exchange.getRequestHeaders().getFirst("Authorization"));
    }

    private static ObjectNode content(ReleaseArchive archive) {
        ObjectNode content = JSON.createObjectNode()
                .put("digest", archive.digest())
                .put("size", archive.size())
                .put("mediaType", CONTENT_MEDIA_TYPE);
        content.putArray("urls");
        return content;
    }

    /** The digest of the release manifest, which Quay reports beside the content digest; not the blob's digest. */
    private static String manifestDigest(ReleaseArchive archive) {
        String manifest = "{\"content\":{\"digest\":\"" + archive.digest() + "\",\"mediaType\":\"" + CONTENT_MEDIA_TYPE
                + "\",\"size\":" + archive.size() + ",\"urls\":[]},\"mediaType\":\"" + MANIFEST_MEDIA_TYPE + "\"}";
        return Digest.sha256(manifest.getBytes(StandardCharsets.UTF_8)).value();
    }

    private static CnrResponse packageNotFound(String ns, String name, String release, String mediaType) {
        String pkg = ns + "/" + name;
        Map<String, Object> details = new HashMap<>();
        details.put("package", pkg);
        details.put("release", release);
        details.put("media_type", mediaType);
        // CNR's own wording, Python's None included.
        String message = "package " + pkg + " doesn't exist, v: " + (release == null ? "None" : release)
                + ", type: " + (mediaType == null ? "None" : mediaType);
        return CnrResponse.error(404, "package-not-found", message, details);
    }

    private static CnrResponse notFoundPath(String path) {
        return CnrResponse.error(404, "resource-not-found", "No such resource: " + abbreviate(path), Map.of());
    }

    /** Pads a JSON body to at least {@code size} bytes, keeping it valid JSON with the same meaningful content. */
    private static byte[] pad(byte[] body, int size) {
        int missing = size - body.length;
        if (missing <= 0) {
            return body;
        }
        try {
            JsonNode node = JSON.readTree(body);
            ObjectNode target = node instanceof ObjectNode object ? object
                    : node.isArray() && node.size() > 0 && node.get(0) instanceof ObjectNode first ? first : null;
            if (target != null) {
                target.put(PADDING_FIELD, "x".repeat(missing));
                return JSON.writeValueAsBytes(node);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] padded = Arrays.copyOf(body, size);
        Arrays.fill(padded, body.length, size, (byte) ' ');
        return padded;
    }

    /** The decoded path segments, or empty for encoded characters, empty segments or dot segments. */
    static Optional<List<String>> segments(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/") || rawPath.contains("%") || rawPath.contains("\\")
                || rawPath.length() > 2048) {
            return Optional.empty();
        }
        String path = rawPath.length() > 1 && rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1)
                : rawPath;
        if (path.equals("/")) {
            return Optional.of(List.of());
        }
        List<String> segments = List.of(path.substring(1).split("/", -1));
        boolean unsafe = segments.stream().anyMatch(s -> s.isEmpty() || s.equals(".") || s.equals("..")
                || s.chars().anyMatch(c -> c < 0x21 || c > 0x7e));
        return unsafe ? Optional.empty() : Optional.of(segments);
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> values = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return values;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(key, value);
        }
        return values;
    }

    private static String abbreviate(String value) {
        return value.length() > 120 ? value.substring(0, 120) + "…" : value;
    }

    @FunctionalInterface
    private interface Answer {
        CnrResponse get() throws IOException;
    }
}
