package dev.catalogautopilot.testing.proxy;

import dev.catalogautopilot.testing.http.LoopbackHttpServer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.catalogautopilot.registry.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain-HTTP reverse proxy in front of a registry on a loopback port, that misbehaves on request: it flips a
 * byte in the content of chosen blobs (same length, wrong digest), stalls chosen blobs mid-body (headers and half
 * the content, then nothing until the proxy closes), and answers 503 or 429 to a fraction of requests at random
 * (seeded, so a run can be repeated). Everything else passes through unchanged, with
 * {@code Location} headers pointing back at the proxy.
 *
 * <pre>{@code
 * try (RegistryProxy proxy = RegistryProxy.start(upstream.url())) {
 *     proxy.corruptBlob(layerDigest);        // GETs of that blob now fail verification
 *     proxy.stallBlob(otherDigest, 2);       // the next two GETs of that blob hang mid-body
 *     proxy.failRandomly(0.2, 42);           // 20% of requests get 503 or 429
 *     String host = proxy.host();            // use instead of the registry's host
 * }
 * }</pre>
 */
public final class RegistryProxy implements AutoCloseable {

    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

    private final URI upstream;
    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpClient http;
    private final Set<Digest> corrupted = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger injectedFailures = new AtomicInteger();
    private final AtomicInteger corruptedResponses = new AtomicInteger();
    private final Map<Digest, AtomicInteger> stalling = new ConcurrentHashMap<>();
    private final AtomicInteger stalledResponses = new AtomicInteger();
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    private volatile double failureRate;
    private volatile Random random = new Random(0);

    private RegistryProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = LoopbackHttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.threads = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "registry-proxy");
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** Starts a proxy forwarding to {@code upstream} (e.g. {@code http://127.0.0.1:5000}). */
    public static RegistryProxy start(URI upstream) {
        try {
            return new RegistryProxy(upstream);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a registry proxy", e);
        }
    }

    /** {@code 127.0.0.1:PORT}, to use as the registry part of image references. */
    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves this blob with one byte flipped from now on. */
    public RegistryProxy corruptBlob(Digest digest) {
        corrupted.add(digest);
        return this;
    }

    /**
     * Sends this blob's headers and half its body, then holds the response until the proxy closes, for the next
     * {@code times} requests of it ({@code Integer.MAX_VALUE}: always); later requests are forwarded whole.
     */
    public RegistryProxy stallBlob(Digest digest, int times) {
        stalling.put(digest, new AtomicInteger(times));
        return this;
    }

    /** Blob responses that were stalled mid-body. */
    public int stalledResponses() {
        return stalledResponses.get();
    }

    /** Answers 503 or 429 (half each) to {@code rate} of all requests from now on, drawn from {@code seed}. */
    public RegistryProxy failRandomly(double rate, long seed) {
        this.random = new Random(seed);
        this.failureRate = rate;
        return this;
    }

    /** Requests received so far. */
    public int requests() {
        return requests.get();
    }

    /** Requests answered with an injected 503 or 429. */
    public int injectedFailures() {
        return injectedFailures.get();
    }

    /** Blob responses whose content was corrupted. */
    public int corruptedResponses() {
        return corruptedResponses.get();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            if (shouldFail()) {
                injectedFailures.incrementAndGet();
                exchange.getRequestBody().readAllBytes();
                int status = random() < 0.5 ? 503 : 429;
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            forward(exchange);
        } catch (IOException | RuntimeException e) {
            // The client sees a reset connection, as with a real flaky upstream.
        }
    }

    private synchronized boolean shouldFail() {
        return failureRate > 0 && random.nextDouble() < failureRate;
    }

    private synchronized double random() {
        return random.nextDouble();
    }

    private void forward(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        URI target = upstream.resolve(exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofMinutes(5));
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                header.getValue().forEach(v -> request.header(header.getKey(), v));
            }
        }
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        long contentLength = length == null ? 0 : Long.parseLong(length);
        InputStream body = exchange.getRequestBody();
        request.method(method, contentLength > 0
                ? HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body),
                contentLength)
                : HttpRequest.BodyPublishers.noBody());
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("location")) {
                values.forEach(v -> exchange.getResponseHeaders().add(name,
                        v.replace(upstream.getRawAuthority(), host())));
            } else if (!NOT_FORWARDED.contains(lower) && !lower.equals(":status")) {
                values.forEach(v -> exchange.getResponseHeaders().add(name, v));
            }
        });
        long responseLength = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (InputStream in = response.body()) {
            if (method.equals("HEAD") || response.statusCode() == 204 || response.statusCode() == 304) {
                exchange.sendResponseHeaders(response.statusCode(), -1);
                return;
            }
            boolean corrupt = method.equals("GET") && response.statusCode() == 200 && isCorruptedBlob(target);
            exchange.sendResponseHeaders(response.statusCode(), responseLength < 0 ? 0 : responseLength);
            if (method.equals("GET") && response.statusCode() == 200 && responseLength > 1 && shouldStall(target)) {
                // Counted before the client can see the bytes: a test reads the count right after the response.
                stalledResponses.incrementAndGet();
                exchange.getResponseBody().write(in.readNBytes((int) Math.min(responseLength / 2, 1 << 20)));
                exchange.getResponseBody().flush();
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            if (corrupt) {
                // Counted before the client can see the bytes: a test reads the count right after the response.
                corruptedResponses.incrementAndGet();
            }
            copy(in, exchange.getResponseBody(), corrupt);
        }
    }

    private boolean isCorruptedBlob(URI target) {
        Digest digest = blobDigest(target);
        return digest != null && corrupted.contains(digest);
    }

    private boolean shouldStall(URI target) {
        Digest digest = blobDigest(target);
        AtomicInteger left = digest == null ? null : stalling.get(digest);
        return left != null && left.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0;
    }

    private static Digest blobDigest(URI target) {
        String path = target.getPath();
        int blobs = path.lastIndexOf("/blobs/");
        return blobs >= 0 && Digest.isValid(path.substring(blobs + 7)) ? Digest.parse(path.substring(blobs + 7)) : null;
    }

    private static void copy(InputStream in, OutputStream out, boolean flipFirstByte) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        boolean flipped = !flipFirstByte;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (!flipped && n > 0) {
                buffer[0] ^= (byte) 0xff;
                flipped = true;
            }
            out.write(buffer, 0, n);
        }
        out.flush();
    }
}
