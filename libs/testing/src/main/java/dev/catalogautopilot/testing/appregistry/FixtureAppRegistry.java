package dev.catalogautopilot.testing.appregistry;

import dev.catalogautopilot.testing.http.LoopbackHttpServer;
import com.sun.net.httpserver.HttpServer;
import dev.catalogautopilot.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A faithful stand-in for the legacy Quay App Registry (CNR) API, serving package-manifest directories as releases.
 *
 * <p>Endpoints under {@link #baseUrl()} ({@code http://127.0.0.1:PORT/cnr}):
 * <ul>
 *   <li>{@code POST /api/v1/users/login} with {@code {"user":{"username","password"}}} answers {@code {"token"}};
 *   <li>{@code GET /api/v1/packages?namespace=&media_type=helm} lists packages, {@code default} being the newest
 *       release and {@code releases} newest first;
 *   <li>{@code GET /api/v1/packages/{ns}/{pkg}} lists a package's releases;
 *   <li>{@code GET /api/v1/packages/{ns}/{pkg}/{release}/helm} shows one release;
 *   <li>{@code GET /api/v1/packages/{ns}/{pkg}/blobs/sha256/{digest}} and
 *       {@code GET /api/v1/packages/{ns}/{pkg}/{release}/helm/pull} download the tar.gz
 *       ({@code ?format=json} wraps it in base64, as CNR did);
 *   <li>{@code GET /version}.
 * </ul>
 * Errors use CNR's body {@code {"error":{"code","message","details"}}}. With {@link Builder#requireAuth} every API
 * call but login needs the login token in {@code Authorization}.
 *
 * <p>Admin endpoint, not part of CNR, for the local run: {@code POST http://127.0.0.1:PORT/admin/publish/{pkg}}
 * publishes the next release like {@link #publishRelease(String)} and answers
 * {@code {"package","release","digest","size","created_at"}}. It needs no token and ignores faults.
 *
 * <pre>{@code
 * try (FixtureAppRegistry registry = FixtureAppRegistry.builder().namespace("redhat-operators").start()) {
 *     String url = registry.baseUrl();
 *     PublishedRelease next = registry.publishRelease("etcd");
 *     registry.faults().listingOnce(Fault.status(503));
 * }
 * }</pre>
 */
public final class FixtureAppRegistry implements AutoCloseable {

    /** The namespace the fixture serves unless told otherwise. */
    public static final String DEFAULT_NAMESPACE = "community-operators";
    /** The annotation {@link #publishRelease(String)} sets on the head CSV of the default channel. */
    public static final String RELEASE_ANNOTATION = HeadCsvAnnotator.RELEASE_ANNOTATION;

    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,254}");

    private final HttpServer server;
    private final ExecutorService executor;
    private final RegistryState state;
    private final String namespace;
    private final Faults faults;
    private final Map<CnrEndpoint, AtomicLong> counts;

    private FixtureAppRegistry(HttpServer server, ExecutorService executor, RegistryState state, String namespace,
                               Faults faults, Map<CnrEndpoint, AtomicLong> counts) {
        this.server = server;
        this.executor = executor;
        this.state = state;
        this.namespace = namespace;
        this.faults = faults;
        this.counts = counts;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:PORT/cnr}, the base URL an App Registry client is configured with. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/cnr";
    }

    /** {@code http://127.0.0.1:PORT/admin}, where the non-CNR admin endpoint lives. */
    public String adminUrl() {
        return "http://127.0.0.1:" + port() + "/admin";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String namespace() {
        return namespace;
    }

    /** The served package names (without namespace), sorted. */
    public List<String> packageNames() {
        return state.packages().stream().map(StoredPackage::name).toList();
    }

    /** A package's releases, newest first, with the digests the API reports. */
    public List<PublishedRelease> releases(String packageName) {
        return state.require(packageName).releases().stream().map(StoredRelease::describe).toList();
    }

    /**
     * Builds every package's newest archive now, in parallel, rather than on its first download: with hundreds of
     * generated packages the first build's fetches would otherwise wait for archives to be made.
     */
    public FixtureAppRegistry prepareArchives() {
        state.prepareArchives();
        return this;
    }

    /** A package's newest release, the listing's {@code default}. */
    public PublishedRelease latest(String packageName) {
        return state.require(packageName).latest().describe();
    }

    /**
     * Publishes the next patch release (1.0.1, 1.0.2, …): a copy of the newest release whose default channel's head
     * CSV carries {@link #RELEASE_ANNOTATION} set to the new release, so its content and digest differ.
     */
    public PublishedRelease publishRelease(String packageName) {
        return state.publish(packageName, null);
    }

    /**
     * Publishes the next patch release from a copy of the newest release's package directory, which {@code edit}
     * may change freely (the package name excepted). No annotation is added: identical content keeps its digest.
     */
    public PublishedRelease publishRelease(String packageName, Consumer<Path> edit) {
        return state.publish(packageName, Objects.requireNonNull(edit, "edit"));
    }

    /**
     * Publishes the next patch release of a package as exactly these archive bytes (not necessarily a valid
     * archive: tests of hostile or broken uploads use it). Later {@link #publishRelease} calls copy the last
     * release built from a directory.
     */
    public PublishedRelease publishArchive(String packageName, byte[] archive) {
        return state.publishArchive(packageName, Objects.requireNonNull(archive, "archive"));
    }

    /** Removes a package with all its releases, as if deleted upstream. */
    public void removePackage(String packageName) {
        state.remove(packageName);
    }

    /** Adds a package-manifest directory as a new package with release 1.0.0. */
    public PublishedRelease addPackage(Path packageDir) {
        return state.add(packageDir);
    }

    /** The faults injected into subsequent requests. */
    public Faults faults() {
        return faults;
    }

    /** How many requests reached {@code endpoint}, rejected ones included. */
    public long requestCount(CnrEndpoint endpoint) {
        return counts.get(endpoint).get();
    }

    /** Stops the server and deletes the edited package copies. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state.delete();
    }

    @Override
    public String toString() {
        return "FixtureAppRegistry[" + baseUrl() + ", namespace=" + namespace + "]";
    }

    /** Configures a {@link FixtureAppRegistry}; {@link #start()} loads the packages and starts serving. */
    public static final class Builder {

        private Path packagesDir;
        private String namespace = DEFAULT_NAMESPACE;
        private int port;
        private String username;
        private String password;
        private ArchiveForm form = ArchiveForm.NESTED;
        private final Map<String, ArchiveForm> forms = new HashMap<>();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Package-manifest directories, one per package; defaults to {@link Fixtures#operators()}. */
        public Builder packagesDir(Path packagesDir) {
            this.packagesDir = Objects.requireNonNull(packagesDir, "packagesDir");
            return this;
        }

        /** The CNR namespace; packages are served as {@code <namespace>/<packageName>}. */
        public Builder namespace(String namespace) {
            if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
                throw new IllegalArgumentException("Invalid namespace: " + namespace);
            }
            this.namespace = namespace;
            return this;
        }

        /** The loopback port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("Invalid port: " + port);
            }
            this.port = port;
            return this;
        }

        /** Makes every API call but login require the token that login issues for this account. */
        public Builder requireAuth(String username, String password) {
            if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
                throw new IllegalArgumentException("requireAuth needs a non-empty username and password");
            }
            this.username = username;
            this.password = password;
            return this;
        }

        /** The archive form of every package without a form of its own; {@link ArchiveForm#NESTED} by default. */
        public Builder form(ArchiveForm form) {
            this.form = Objects.requireNonNull(form, "form");
            return this;
        }

        /** The archive form of one package (by its {@code packageName}). */
        public Builder form(String packageName, ArchiveForm form) {
            forms.put(Objects.requireNonNull(packageName, "packageName"), Objects.requireNonNull(form, "form"));
            return this;
        }

        /** The clock for {@code created_at}/{@code updated_at}; they advance strictly whatever it says. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public FixtureAppRegistry start() {
            RegistryState state = new RegistryState(form, forms, clock);
            HttpServer server = null;
            ExecutorService executor = null;
            boolean started = false;
            try {
                state.load(packagesDir != null ? packagesDir : Fixtures.operators());
                Faults faults = new Faults();
                Map<CnrEndpoint, AtomicLong> counts = new EnumMap<>(CnrEndpoint.class);
                for (CnrEndpoint endpoint : CnrEndpoint.values()) {
                    counts.put(endpoint, new AtomicLong());
                }
                CnrCredentials credentials = username == null ? null : new CnrCredentials(username, password);
                InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
                server = LoopbackHttpServer.create(new InetSocketAddress(loopback, port), 64);
                server.createContext("/", new CnrHandler(state, namespace, faults, counts, credentials));
                executor = Executors.newFixedThreadPool(8, daemonThreads());
                server.setExecutor(executor);
                server.start();
                started = true;
                return new FixtureAppRegistry(server, executor, state, namespace, faults, counts);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start the fixture App Registry on port " + port, e);
            } finally {
                if (!started) {
                    if (server != null) {
                        server.stop(0);
                    }
                    if (executor != null) {
                        executor.shutdownNow();
                    }
                    state.delete();
                }
            }
        }

        private static ThreadFactory daemonThreads() {
            AtomicInteger count = new AtomicInteger();
            return task -> {
                Thread thread = new Thread(task, "fixture-app-registry-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
        }
    }
}
