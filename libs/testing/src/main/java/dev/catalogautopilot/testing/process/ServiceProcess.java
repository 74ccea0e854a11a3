package dev.catalogautopilot.testing.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Quarkus service run as its own process, the way it runs in production: it can be stopped,
 * killed mid-work and started again with the same configuration and data.
 *
 * <p>Configuration is written to {@code config/application.properties} in the process's working directory,
 * which Quarkus reads at startup; nothing sensitive ends up on the command line.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final Path workDir;
    private final Map<String, String> properties;
    private final int port;
    private final Duration startupTimeout;
    private final List<String> jvmOptions;
    private Process process;

    private ServiceProcess(Builder builder, int port) {
        this.name = builder.name;
        this.jar = builder.jar;
        this.workDir = builder.workDir;
        this.properties = new LinkedHashMap<>(builder.properties);
        this.port = port;
        this.startupTimeout = builder.startupTimeout;
        this.jvmOptions = List.copyOf(builder.jvmOptions);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Starts (or starts again) the process and waits until its readiness check passes. */
    public synchronized ServiceProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        try {
            Path config = workDir.resolve("config");
            Files.createDirectories(config);
            StringBuilder text = new StringBuilder();
            properties.forEach((k, v) -> text.append(k).append('=').append(escape(v)).append('\n'));
            text.append("quarkus.http.port=").append(port).append('\n');
            Files.writeString(config.resolve("application.properties"), text.toString());
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", jar.toString()));
            process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
            awaitReady();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** Graceful stop (SIGTERM), as an orchestrator would do it. */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitForExit(Duration.ofSeconds(30));
        }
    }

    /** Abrupt kill (SIGKILL): no shutdown hooks, no flushing. */
    public synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(10));
        }
    }

    /** The operating-system process id of the running service. */
    public long pid() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        return process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Path logFile() {
        return workDir.resolve(name + ".log");
    }

    public String logs() {
        try {
            return Files.exists(logFile()) ? Files.readString(logFile()) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitReady() throws IOException {
        Instant deadline = Instant.now().plus(startupTimeout);
        URI ready = URI.create(baseUrl() + "/q/health/ready");
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + " during startup:\n" + tail());
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2))
                        .GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            sleep(200);
        }
        kill();
        throw new IOException(name + " was not ready within " + startupTimeout + ":\n" + tail());
    }

    private String tail() {
        String[] lines = logs().split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
    }

    private void waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Collects the configuration of a service process. */
    public static final class Builder {
        private final String name;
        private Path jar;
        private Path workDir;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private Duration startupTimeout = Duration.ofSeconds(90);
        private List<String> jvmOptions = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

        private Builder(String name) {
            this.name = name;
            String app = System.getProperty("catalogautopilot.app");
            this.jar = app == null ? null : Path.of(app);
        }

        /** The packaged application, {@code target/quarkus-app/quarkus-run.jar}; failsafe sets it by default. */
        public Builder jar(Path jar) {
            this.jar = jar;
            return this;
        }

        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder properties(Map<String, String> values) {
            properties.putAll(values);
            return this;
        }

        /** JVM options, instead of the defaults for tests (small heap, quick start): e.g. a benchmark's. */
        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = timeout;
            return this;
        }

        /** Prepares the process without starting it. */
        public ServiceProcess build() {
            Objects.requireNonNull(jar, "jar: set it or run under failsafe, which sets catalogautopilot.app");
            if (!Files.exists(jar)) {
                throw new IllegalStateException("no packaged application at " + jar + "; run the package phase");
            }
            try {
                if (workDir == null) {
                    workDir = Files.createTempDirectory(name + "-");
                }
                try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                    return new ServiceProcess(this, socket.getLocalPort());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public ServiceProcess start() {
            return build().start();
        }
    }
}
