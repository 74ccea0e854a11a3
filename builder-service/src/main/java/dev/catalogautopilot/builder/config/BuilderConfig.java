package dev.catalogautopilot.builder.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the builder builds, where it pushes, and the limits it reads upstream content within. */
@ConfigMapping(prefix = "builder")
public interface BuilderConfig {

    /** The catalogs the builder builds, by catalog name (the name the watcher's change events carry). */
    Map<String, CatalogConfig> catalogs();

    /** Limits on upstream content; exceeding one fails the build with a clear reason. */
    Limits limits();

    /** How build jobs are leased from PostgreSQL and run. */
    Runner runner();

    /** Directory for rendered catalogs and jib's layer caches; losing it costs only time. */
    @WithDefault("${java.io.tmpdir}/catalog-autopilot-builder")
    String workDir();

    /**
     * Layers the catalog is spread over in its image, packages placed by a hash of their name (1 to 64): a build
     * where one package changed rebuilds and pushes one of them, and every other layer is reused.
     */
    @WithDefault("16")
    int catalogLayers();

    /** One catalog to build. */
    interface CatalogConfig {

        /**
         * Where the image goes, without tag: {@code <mirror registry>/<prefix>}; the image is
         * {@code <target>/<catalog>:<tag>}, for example {@code mirror.example.com:5000/olm}.
         */
        String target();

        /**
         * The one upstream the catalog is built from; required to build. A change event naming any other upstream
         * fails its build and nothing is fetched, so the catalog's credentials go only here.
         */
        Optional<Upstream> upstream();

        /** Tag of the built image, for example {@code v2}. */
        @WithDefault("latest")
        String tag();

        /**
         * The base image, an opm / operator-registry image whose entrypoint serves {@code /configs}; required.
         * A multi-arch base gives one image per selected platform.
         */
        Optional<String> baseImage();

        /** Platforms to build, {@code os/arch[/variant]}; each must be in the base image (--filter-by-os). */
        @WithDefault("linux/amd64")
        List<String> platforms();

        /** What to keep of the upstream catalog. */
        Filter filter();

        /** A containers auth.json (or docker config.json) for the upstream index, base and target registries. */
        Optional<String> authFile();

        /**
         * App Registry credentials file: a bare token (sent as {@code Authorization}), or JSON
         * {@code {"username":..,"password":..}} to log in with.
         */
        Optional<String> appRegistryCredentials();

        /** Registries ({@code host[:port]}) spoken to over plain HTTP; all others use verified TLS. */
        Optional<List<String>> insecureRegistries();

        /** {@code exclude}: invalid packages are left out and reported; {@code fail}: any invalid package fails the build. */
        @WithDefault("exclude")
        ValidationPolicy validationPolicy();
    }

    /** Where a catalog's content comes from: an App Registry namespace (url and namespace) or an index image. */
    interface Upstream {

        /** App Registry API base URL, for example {@code https://quay.io/cnr}. */
        Optional<String> url();

        /** App Registry namespace, for example {@code redhat-operators}. */
        Optional<String> namespace();

        /**
         * Index image repository, for example {@code registry.example.com/redhat/redhat-operator-index}; a tag is
         * ignored, the digest the change event names is read.
         */
        Optional<String> indexImage();
    }

    /** A filter in the spirit of oc-mirror's ImageSetConfiguration. */
    interface Filter {

        /** Only these packages are built, when set. */
        Optional<List<String>> include();

        /** These packages are never built (exclude wins over include). */
        Optional<List<String>> exclude();

        /** Keep only each channel's head (and the bundles it depends on), not the whole upgrade graph. */
        @WithDefault("false")
        boolean headsOnly();

        /** Per-package settings, by package name. */
        Map<String, PackageFilter> packages();
    }

    /** Settings of one package. */
    interface PackageFilter {

        /** The channels to keep; all when unset. The default channel must be among them. */
        Optional<List<String>> channels();

        /** Lowest bundle version kept; a version range replaces heads-only for this package. */
        Optional<String> minVersion();

        /** Highest bundle version kept. */
        Optional<String> maxVersion();
    }

    /** Bounds on what the builder reads from upstream. */
    interface Limits {

        /** Largest archive or image layer (compressed), and largest total of its unpacked files, in bytes. */
        @WithDefault("268435456")
        long maxArchiveBytes();

        /**
         * Most bytes decompressed from one archive or layer, in bytes: entries skipped, padding and headers count
         * too, so a gzip bomb costs bounded time.
         */
        @WithDefault("1073741824")
        long maxDecompressedBytes();

        /** Largest single file or YAML/JSON document (aliases expanded), in bytes. */
        @WithDefault("8388608")
        int maxDocumentBytes();

        /** Most entries in one archive or layer. */
        @WithDefault("20000")
        int maxEntries();

        /** Most YAML aliases to collections in one file; more is treated as an alias bomb. */
        @WithDefault("50")
        int maxYamlAliases();

        /** Deepest nesting of a YAML or JSON document. */
        @WithDefault("100")
        int maxNestingDepth();

        /**
         * Longest wait for the next bytes of an HTTP body read from App Registry or an upstream registry; the read
         * then fails as a transient failure. jib's own registry calls use its {@code jib.httpTimeout} (20 s).
         */
        @WithDefault("60s")
        Duration httpIdleTimeout();

        /** Packages fetched from App Registry in parallel. */
        @WithDefault("4")
        int fetchThreads();
    }

    /** The job runner. */
    interface Runner {

        /** How often the runner looks for a job to run. */
        @WithDefault("1s")
        Duration poll();

        /**
         * How long a running job's lease lasts. It is renewed only while the build makes progress (bytes read,
         * packages fetched, stages passed); a job whose lease expires is re-driven by the reconciler.
         */
        @WithDefault("2m")
        Duration lease();

        /**
         * Attempts per job, counted when a job is leased: a transient failure (registry or upstream unreachable,
         * 5xx, database unavailable) and a lost worker (crash, kill, out-of-memory exit) each use one up.
         */
        @WithDefault("3")
        int maxAttempts();

        /** Overall deadline of a job from its first lease, retries included; past it the job fails with a reason. */
        @WithDefault("30m")
        Duration deadline();

        /** How often the reconciler looks for jobs whose lease expired or that are past their deadline. */
        @WithDefault("15s")
        Duration reconcileEvery();

        /** Delay before retrying a job after a transient failure. */
        @WithDefault("5s")
        Duration retryDelay();

        /**
         * The runner or the reconciler is stuck (health DOWN) when it has neither passed idle nor made progress on
         * a job for this long. Longer than a lease: a build may go a whole lease without progress before it is
         * abandoned, and recording an outcome is retried for up to a lease.
         */
        @WithDefault("5m")
        Duration stuckAfter();

        /** How often the queue-depth gauges ({@code builder_jobs}) are read from the database. */
        @WithDefault("15s")
        Duration metricsRefresh();
    }

    /** What an invalid package does to the build. */
    enum ValidationPolicy {
        EXCLUDE, FAIL
    }
}
