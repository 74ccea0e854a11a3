package dev.catalogautopilot.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker and controller), run as a child JVM.
 *
 * <p>A child process keeps the broker's Scala and server jars off the caller's classpath, and lets the local
 * run and the tests start the very same broker. The classpath comes from {@code broker.classpath}, written by
 * this module's build from its "provided" dependencies.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String CLASSPATH_RESOURCE = "broker.classpath";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    /** The largest record batch the broker accepts: the pipeline's EventSizeLimit.MAX_RECORD_BYTES. */
    public static final int MAX_RECORD_BYTES = 1024 * 1024 + 64 * 1024;

    private final Path dataDir;
    private final int port;
    private final Process process;
    private final Path logFile;
    private final boolean deleteOnClose;

    private KafkaBroker(Path dataDir, int port, Process process, Path logFile, boolean deleteOnClose) {
        this.dataDir = dataDir;
        this.port = port;
        this.process = process;
        this.logFile = logFile;
        this.deleteOnClose = deleteOnClose;
    }

    /** Starts a broker on free loopback ports with a fresh temporary data directory. */
    public static KafkaBroker start() {
        try {
            return start(Files.createTempDirectory("kafka-broker-"), 0, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a broker keeping its data in {@code dataDir}. Port 0 picks a free port. An already formatted
     * directory is reused, so a restarted broker keeps its topics.
     */
    public static KafkaBroker start(Path dataDir, int port, boolean deleteOnClose) {
        try {
            Files.createDirectories(dataDir);
            int brokerPort = port == 0 ? freePort() : port;
            int controllerPort = freePort();
            Path logs = dataDir.resolve("logs");
            Path properties = dataDir.resolve("server.properties");
            Files.writeString(properties, serverProperties(brokerPort, controllerPort, logs));
            Path logFile = dataDir.resolve("broker.log");
            String classpath = brokerClasspath();
            if (!Files.exists(logs.resolve("meta.properties"))) {
                run(List.of(java(), "-cp", classpath, "kafka.tools.StorageTool", "format",
                        // One argument: an id may start with "-", which would read as an option.
                        "--cluster-id=" + clusterId(), "-c", properties.toString()), dataDir.resolve("format.log"));
            }
            List<String> command = new ArrayList<>(List.of(java(), "-Xms256m", "-Xmx512m",
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classpath, "kafka.Kafka",
                    properties.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            KafkaBroker broker = new KafkaBroker(dataDir, brokerPort, process, logFile, deleteOnClose);
            broker.awaitListening();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Kafka broker in " + dataDir, e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Kills the broker abruptly (SIGKILL, as {@code kill -9}): no controlled shutdown, no flush. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Kills the broker abruptly ({@link #kill()}) and starts it again after {@code down} on the same port and data
     * directory, as a crashed broker comes back: clients reconnect to the address they know, and topics, committed
     * offsets and producer state are kept. This instance is spent; the returned broker is the one to close.
     */
    public KafkaBroker killAndRestart(Duration down) {
        kill();
        try {
            Thread.sleep(down.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the Kafka broker was down", e);
        }
        return start(dataDir, port, deleteOnClose);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (deleteOnClose) {
            deleteRecursively(dataDir);
        }
    }

    static String serverProperties(int brokerPort, int controllerPort, Path logs) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logs,
                "num.partitions=4",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                // The audit log: events are kept until deleted on purpose.
                "log.retention.ms=-1",
                "log.retention.bytes=-1",
                "auto.create.topics.enable=true",
                // EventSizeLimit.MAX_RECORD_BYTES (1 MiB of event data plus 64 KiB for key and headers), as in
                // deploy/k8s and every client: topics, producers and consumers agree on one limit.
                "message.max.bytes=" + MAX_RECORD_BYTES,
                "replica.fetch.max.bytes=" + MAX_RECORD_BYTES,
                "group.initial.rebalance.delay.ms=0",
                "log.flush.interval.messages=10000",
                "") ;
    }

    private void awaitListening() throws IOException {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("Kafka broker exited with " + process.exitValue() + "; see " + logFile
                        + "\n" + tail(logFile));
            }
            if (brokerReady()) {
                return;
            }
            sleep(100);
        }
        process.destroyForcibly();
        throw new IOException("Kafka broker did not listen on " + bootstrapServers() + " within "
                + STARTUP_TIMEOUT + "; see " + logFile + "\n" + tail(logFile));
    }

    private boolean brokerReady() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The classpath of the broker JVM, as resolved by this module's build. */
    public static String brokerClasspath() {
        try (InputStream in = KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + CLASSPATH_RESOURCE + "; build libs/kafka-broker first");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (p.waitFor() != 0) {
                throw new IOException("command failed (" + p.exitValue() + "): " + command.get(3) + "\n" + tail(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Kafka cluster ids are 16 random bytes in URL-safe base64 without padding. */
    private static String clusterId() {
        UUID uuid = UUID.randomUUID();
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(16);
        buffer.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
