package dev.catalogautopilot.testing.stack;

import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.testing.Fixtures;
import dev.catalogautopilot.testing.appregistry.FixtureAppRegistry;
import dev.catalogautopilot.testing.cluster.SimulatedCluster;
import dev.catalogautopilot.testing.cluster.SimulatedFleet;
import dev.catalogautopilot.testing.kafka.PipelineTopics;
import dev.catalogautopilot.testing.postgres.TestDatabase;
import dev.catalogautopilot.testing.process.ServiceProcess;
import dev.catalogautopilot.testing.registry.LocalRegistry;
import dev.catalogautopilot.testing.scale.ScaleCatalog;
import dev.catalogautopilot.testing.scale.ScaleCatalogGenerator;
import dev.catalogautopilot.testing.scale.ScaleSpec;
import dev.catalogautopilot.testing.scale.TinyImagePusher;
import dev.catalogautopilot.testing.upstream.ImagePusher;
import dev.catalogautopilot.testing.upstream.Platform;
import dev.catalogautopilot.testing.upstream.SimulatedUpstream;
import dev.catalogautopilot.testing.upstream.UpstreamSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The whole pipeline on one machine: upstream and mirror registries with the simulated upstream images, the fixture
 * App Registry serving the rewritten fixture catalog (or a generated catalog of {@link Options#scale()}), a fleet of simulated clusters in two waves (one canary, the
 * rest), and the four services as separate processes, each with its own database, on one Kafka broker. The
 * end-to-end test and the local run both use it.
 */
public final class PipelineStack implements AutoCloseable {

    /** The catalog the stack watches, builds, mirrors and rolls out. */
    public static final String CATALOG = "community-operators";
    public static final String CATALOG_SOURCE = "community-operators";

    /**
     * How to build the stack.
     *
     * @param scale                 a generated catalog of this size instead of the fixture catalog; null for the fixtures
     * @param serviceJvmOptions     the services' JVM options; empty for {@link ServiceProcess#DEFAULT_JVM_OPTIONS}
     * @param countRegistryRequests whether the registries keep an access log, for {@link LocalRegistry#requestCount()}
     */
    public record Options(String kafkaBootstrap, int clusters, Path workDir, Map<String, String> secrets,
            Consumer<String> progress, ScaleSpec scale, List<String> serviceJvmOptions,
            boolean countRegistryRequests) {

        public Options {
            serviceJvmOptions = List.copyOf(serviceJvmOptions);
        }

        /** The fixture catalog, default JVM options, no access logs. */
        public Options(String kafkaBootstrap, int clusters, Path workDir, Map<String, String> secrets,
                Consumer<String> progress) {
            this(kafkaBootstrap, clusters, workDir, secrets, progress, null, List.of(), false);
        }

        public Options withScale(ScaleSpec size) {
            return new Options(kafkaBootstrap, clusters, workDir, secrets, progress, size, serviceJvmOptions,
                    countRegistryRequests);
        }

        public Options withServiceJvmOptions(List<String> options) {
            return new Options(kafkaBootstrap, clusters, workDir, secrets, progress, scale, options,
                    countRegistryRequests);
        }

        public Options withRegistryRequestCounts() {
            return new Options(kafkaBootstrap, clusters, workDir, secrets, progress, scale, serviceJvmOptions, true);
        }
    }

    private final Options options;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private LocalRegistry upstreamRegistry;
    private LocalRegistry mirror;
    private SimulatedUpstream upstream;
    private ScaleCatalog scaleCatalog;
    private FixtureAppRegistry appRegistry;
    private SimulatedFleet fleet;
    private ImageReference baseImage;

    private PipelineStack(Options options) {
        this.options = options;
    }

    public static PipelineStack start(Options options) {
        PipelineStack stack = new PipelineStack(options);
        try {
            stack.startInfrastructure();
            stack.startServices();
            return stack;
        } catch (RuntimeException | IOException e) {
            stack.close();
            throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
    }

    private void startInfrastructure() throws IOException {
        Files.createDirectories(options.workDir());
        say("creating the pipeline topics");
        PipelineTopics.create(options.kafkaBootstrap());
        say("starting the upstream and mirror registries (docker-registry)");
        upstreamRegistry = keep(options.countRegistryRequests() ? LocalRegistry.startWithAccessLog() : LocalRegistry.start());
        mirror = keep(options.countRegistryRequests() ? LocalRegistry.startWithAccessLog() : LocalRegistry.start());
        Path packagesDir;
        if (options.scale() == null) {
            say("pushing a synthetic image for every image the fixture catalog references to the upstream registry");
            upstream = UpstreamSimulator.publish(List.of(Fixtures.operators()), upstreamRegistry);
            packagesDir = upstream.operatorsDir();
        } else {
            say("generating a catalog of " + options.scale());
            long start = System.nanoTime();
            scaleCatalog = ScaleCatalogGenerator.generate(options.scale(), Fixtures.operators(),
                    upstreamRegistry.host(), options.workDir().resolve("scale-catalog"));
            say(String.format("generated in %.1f s; pushing its %d tiny images to the upstream registry",
                    (System.nanoTime() - start) / 1e9, scaleCatalog.images().size()));
            TinyImagePusher.Pushed pushed = TinyImagePusher.push(upstreamRegistry.client(), upstreamRegistry.host(),
                    scaleCatalog.images(), TinyImagePusher.DEFAULT_THREADS, this::say);
            say(String.format("pushed %d images in %d repositories in %.1f s", pushed.images(),
                    pushed.repositories(), pushed.total().toMillis() / 1e3));
            packagesDir = scaleCatalog.packagesDir();
            Path generated = packagesDir;
            keep(() -> deleteTree(generated));
        }
        baseImage = upstreamRegistry.image("operator-framework/opm:v1");
        ImagePusher.loopback().pushMultiArchBase(baseImage, List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64));
        say("starting the fixture App Registry over the " + (scaleCatalog == null ? "rewritten" : "generated")
                + " catalog");
        FixtureAppRegistry.Builder registry = FixtureAppRegistry.builder().packagesDir(packagesDir);
        String cnrPassword = options.secrets().get("app-registry-password");
        if (cnrPassword != null) {
            registry.requireAuth("autopilot", cnrPassword);
        }
        appRegistry = keep(registry.start());
        if (scaleCatalog != null) {
            long start = System.nanoTime();
            appRegistry.prepareArchives();
            say(String.format("App Registry archives of %d packages built in %.1f s",
                    appRegistry.packageNames().size(), (System.nanoTime() - start) / 1e9));
        }
        say("starting " + options.clusters() + " simulated clusters (1 canary, " + (options.clusters() - 1) + " main)");
        fleet = keep(SimulatedFleet.start(options.clusters(), i -> SimulatedCluster.builder(clusterName(i))
                .label("ring", i == 0 ? "canary" : "main")));
    }

    /** The canary cluster's name. */
    public static String canary() {
        return clusterName(0);
    }

    private static String clusterName(int i) {
        return i == 0 ? "canary-1" : String.format("prod-%02d", i);
    }

    private void startServices() throws IOException {
        String registries = upstreamRegistry.host() + "," + mirror.host();
        Map<String, String> watcher = new LinkedHashMap<>();
        String w = "watcher.catalogs." + CATALOG + ".";
        watcher.put(w + "type", "app-registry");
        watcher.put(w + "url", appRegistry.baseUrl());
        watcher.put(w + "namespace", appRegistry.namespace());
        watcher.put(w + "poll-interval", "3s");
        Map<String, String> builder = new LinkedHashMap<>();
        String b = "builder.catalogs." + CATALOG + ".";
        builder.put(b + "target", mirror.host() + "/olm");
        builder.put(b + "tag", "latest");
        builder.put(b + "base-image", baseImage.toString());
        builder.put(b + "upstream.url", appRegistry.baseUrl());
        builder.put(b + "upstream.namespace", appRegistry.namespace());
        builder.put(b + "platforms", "linux/amd64,linux/arm64");
        builder.put(b + "insecure-registries", registries);
        builder.put("builder.work-dir", options.workDir().resolve("builder-work").toString());
        String cnrPassword = options.secrets().get("app-registry-password");
        if (cnrPassword != null) {
            Path credentials = options.workDir().resolve("app-registry-credentials.json");
            Files.writeString(credentials, "{\"username\":\"autopilot\",\"password\":\"" + cnrPassword + "\"}");
            watcher.put(w + "credentials", credentials.toString());
            builder.put(b + "app-registry-credentials", credentials.toString());
        }
        Map<String, String> mirrorService = new LinkedHashMap<>();
        mirrorService.put("mirror.destination", mirror.host());
        mirrorService.put("mirror.registry.insecure", registries);
        mirrorService.put("mirror.manifests-dir", options.workDir().resolve("mirror-manifests").toString());
        Map<String, String> rollout = new LinkedHashMap<>(fleet.rolloutProperties());
        rollout.put("rollout.registry.insecure", mirror.host());
        rollout.put("rollout.mirror-destination", mirror.host());
        rollout.put("rollout.waves[0].name", "canary");
        rollout.put("rollout.waves[0].selector", "ring=canary");
        rollout.put("rollout.waves[0].verification-deadline", "60s");
        rollout.put("rollout.waves[1].name", "main");
        rollout.put("rollout.waves[1].selector", "ring=main");
        rollout.put("rollout.waves[1].max-parallel", "3");
        rollout.put("rollout.waves[1].verification-deadline", "60s");
        rollout.put("rollout.catalogs." + CATALOG + ".catalog-source", CATALOG_SOURCE);
        rollout.put("rollout.catalogs." + CATALOG + ".display-name", "Community Operators");
        rollout.put("rollout.verification.poll-interval", "250ms");
        String operatorPassword = options.secrets().get("operator-password");
        for (var entry : Map.of("watcher-service", watcher, "builder-service", builder, "mirror-service",
                mirrorService, "rollout-service", rollout).entrySet()) {
            String name = entry.getKey();
            Map<String, String> config = new LinkedHashMap<>(entry.getValue());
            config.putAll(TestDatabase.create(name.replace("-service", "")).quarkusConfig());
            config.put("kafka.bootstrap.servers", options.kafkaBootstrap());
            if (operatorPassword != null) {
                config.put("quarkus.security.users.embedded.users.operator", operatorPassword);
                config.put("quarkus.security.users.embedded.roles.operator",
                        "trigger,approve,pause,resume,replay,redrive");
            }
            Path jar = serviceJar(name);
            ServiceProcess.Builder service = ServiceProcess.builder(name).jar(jar)
                    .workDir(options.workDir().resolve(name)).properties(config);
            if (!options.serviceJvmOptions().isEmpty()) {
                service.jvmOptions(options.serviceJvmOptions());
            }
            services.put(name, service.build());
        }
        // The consumers first, so nothing the watcher emits waits for a consumer group to form.
        for (String name : List.of("rollout-service", "mirror-service", "builder-service", "watcher-service")) {
            say("starting " + name);
            services.get(name).start();
        }
    }

    /** The packaged service next to this checkout: {@code <service>/target/quarkus-app/quarkus-run.jar}. */
    private static Path serviceJar(String service) {
        Path jar = repositoryRoot().resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no packaged " + service + " at " + jar + "; run ./mvnw package first");
        }
        return jar;
    }

    /** System property {@code catalogautopilot.root} (Maven sets it), else the nearest directory holding the services. */
    private static Path repositoryRoot() {
        String configured = System.getProperty("catalogautopilot.root");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("watcher-service")) && Files.exists(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root; set -Dcatalogautopilot.root");
    }

    public FixtureAppRegistry appRegistry() {
        return appRegistry;
    }

    /** The simulated upstream of the fixture catalog; null when the stack runs a generated catalog. */
    public SimulatedUpstream upstream() {
        return upstream;
    }

    /** The generated catalog when the stack runs at a {@link Options#scale()}; null for the fixture catalog. */
    public ScaleCatalog scaleCatalog() {
        return scaleCatalog;
    }

    /** The registry the upstream images are on. */
    public LocalRegistry upstreamRegistry() {
        return upstreamRegistry;
    }

    public LocalRegistry mirror() {
        return mirror;
    }

    public SimulatedFleet fleet() {
        return fleet;
    }

    public ServiceProcess service(String name) {
        return services.get(name);
    }

    public Map<String, ServiceProcess> services() {
        return Map.copyOf(services);
    }

    /** Hundreds of megabytes at the target size: not left behind in the work directory. */
    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    private void say(String message) {
        options.progress().accept(message);
    }

    @Override
    public void close() {
        for (String name : List.of("watcher-service", "builder-service", "mirror-service", "rollout-service")) {
            ServiceProcess service = services.get(name);
            if (service != null) {
                service.close();
            }
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // best effort teardown
            }
        }
    }
}
