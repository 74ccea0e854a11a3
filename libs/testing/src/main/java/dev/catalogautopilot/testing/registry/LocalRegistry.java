package dev.catalogautopilot.testing.registry;

import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.registry.RepositoryRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real distribution registry (Debian's {@code docker-registry}) on a free loopback port with its own
 * temporary storage, deletion enabled, speaking plain HTTP.
 */
public final class LocalRegistry implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Map<String, LocalRegistry> SHARED = new ConcurrentHashMap<>();
    /** A combined-log-format line of an API request, as docker-registry's access log writes it. */
    private static final Pattern ACCESS_LINE = Pattern.compile("\"(GET|HEAD|PUT|POST|PATCH|DELETE) /v2/");
    /** A blob upload's completion, or a manifest pushed by digest, answered 201 in the access log. */
    private static final Pattern UPLOAD = Pattern.compile("\"PUT /v2/(\\S+?)/(?:blobs/uploads/\\S*[?&]digest="
            + "(sha256(?::|%3A)[0-9a-f]{64})|manifests/(sha256:[0-9a-f]{64})) HTTP/[0-9.]+\" 201");

    private final String name;
    private final Path workDir;
    private final Path storageDir;
    private final Path logFile;
    private final int port;
    private final Process process;
    private final boolean shared;
    private volatile RegistryClient client;

    private LocalRegistry(String name, Path workDir, int port, Process process, boolean shared) {
        this.name = name;
        this.workDir = workDir;
        this.storageDir = workDir.resolve("storage");
        this.logFile = workDir.resolve("registry.log");
        this.port = port;
        this.process = process;
        this.shared = shared;
    }

    /** Starts a new registry that the caller closes. */
    public static LocalRegistry start() {
        return start("registry", false, false);
    }

    /** As {@link #start()}, writing an access log line per request to {@link #logFile()}, for {@link #requestCount()}. */
    public static LocalRegistry startWithAccessLog() {
        return start("registry", false, true);
    }

    /**
     * The registry called {@code name} for this JVM, started on first use and stopped at JVM exit; tests in one
     * JVM share it. {@link #close()} on it does nothing.
     */
    public static LocalRegistry shared(String name) {
        return SHARED.computeIfAbsent(name, n -> {
            LocalRegistry registry = start(n, true, false);
            Runtime.getRuntime().addShutdownHook(new Thread(registry::stop, "stop-registry-" + n));
            return registry;
        });
    }

    private static LocalRegistry start(String name, boolean shared, boolean accessLog) {
        Path binary = findBinary();
        Path workDir;
        try {
            workDir = Files.createTempDirectory("local-registry-" + name.replaceAll("[^A-Za-z0-9_-]", "_") + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a storage directory for registry " + name, e);
        }
        IllegalStateException last = null;
        // A port chosen free can be taken before the registry binds it: try a few.
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Process process = launch(binary, workDir, port, accessLog);
            LocalRegistry registry = new LocalRegistry(name, workDir, port, process, shared);
            try {
                registry.awaitReady();
                return registry;
            } catch (IllegalStateException e) {
                registry.stopProcess();
                last = e;
            }
        }
        deleteRecursively(workDir);
        throw last;
    }

    /** {@code 127.0.0.1:PORT}, the registry part of image references. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI url() {
        return URI.create("http://" + host());
    }

    public int port() {
        return port;
    }

    /** The filesystem storage root. */
    public Path storageDir() {
        return storageDir;
    }

    /** Where the registry's output goes. */
    public Path logFile() {
        return logFile;
    }

    /** The repository {@code path} on this registry. */
    public RepositoryRef repository(String path) {
        return RepositoryRef.of(host(), path);
    }

    /** Parses {@code repository[:tag][@digest]} as an image on this registry. */
    public ImageReference image(String repositoryAndReference) {
        return ImageReference.parse(host() + "/" + repositoryAndReference);
    }

    /** A client that speaks plain HTTP to this registry, shared by callers. */
    public RegistryClient client() {
        RegistryClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = RegistryClient.builder().insecureRegistries(List.of(host())).build();
                }
                c = client;
            }
        }
        return c;
    }

    /**
     * How many API requests ({@code /v2/...}) the registry has answered so far, from its access log; 0 unless
     * started with {@link #startWithAccessLog()}.
     */
    public long requestCount() {
        if (!Files.exists(logFile)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(logFile, StandardCharsets.UTF_8)) {
            return lines.filter(line -> ACCESS_LINE.matcher(line).find()).count();
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("Cannot read " + logFile, e);
        }
    }

    /**
     * How often each blob was uploaded and each manifest pushed by digest, keyed {@code "<repository> blob <digest>"}
     * or {@code "<repository> manifest <digest>"}, from the access log; empty unless started with
     * {@link #startWithAccessLog()}. A count above 1 is an image content copied twice into one repository.
     */
    public Map<String, Integer> uploads() {
        Map<String, Integer> uploads = new java.util.TreeMap<>();
        if (!Files.exists(logFile)) {
            return uploads;
        }
        try (Stream<String> lines = Files.lines(logFile, StandardCharsets.UTF_8)) {
            lines.map(UPLOAD::matcher).filter(java.util.regex.Matcher::find).forEach(m -> uploads.merge(m.group(1)
                    + (m.group(2) != null ? " blob " + m.group(2).replace("%3A", ":") : " manifest " + m.group(3)),
                    1, Integer::sum));
            return uploads;
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("Cannot read " + logFile, e);
        }
    }

    /** Whether the registry process is running. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the process and deletes its storage; no-op for a {@link #shared} registry. */
    @Override
    public void close() {
        if (!shared) {
            stop();
        }
    }

    private void stop() {
        stopProcess();
        deleteRecursively(workDir);
    }

    private void stopProcess() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ping = HttpRequest.newBuilder(url().resolve("/v2/")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry '" + name + "' exited with code "
                        + process.exitValue() + " on port " + port + ":\n" + logTail());
            }
            try {
                if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting registry " + name, e);
            }
            sleep(50);
        }
        throw new IllegalStateException("docker-registry '" + name + "' did not answer GET /v2/ on port " + port
                + " within " + STARTUP_TIMEOUT.toSeconds() + " s:\n" + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static Process launch(Path binary, Path workDir, int port, boolean accessLog) {
        Path config = workDir.resolve("config.yml");
        String yaml = """
                version: 0.1
                log:
                  level: warn
                  formatter: text
                  accesslog:
                    disabled: %s
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                  maintenance:
                    uploadpurging:
                      enabled: false
                http:
                  addr: 127.0.0.1:%d
                  secret: %s
                health:
                  storagedriver:
                    enabled: false
                """.formatted(!accessLog, workDir.resolve("storage"), port, UUID.randomUUID());
        try {
            Files.createDirectories(workDir.resolve("storage"));
            Files.writeString(config, yaml, StandardCharsets.UTF_8);
            return new ProcessBuilder(binary.toString(), "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("registry.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + binary, e);
        }
    }

    private static Path findBinary() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin";
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "docker-registry");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docker-registry is not installed (Debian package 'docker-registry'): "
                + "run deploy/bootstrap.sh");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Leftovers in the temp directory are harmless.
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "LocalRegistry[" + name + " " + host() + "]";
    }
}
