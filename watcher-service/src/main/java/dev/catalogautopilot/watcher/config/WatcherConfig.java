package dev.catalogautopilot.watcher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the watcher watches and how hard it tries. */
@ConfigMapping(prefix = "watcher")
public interface WatcherConfig {

    /** The watched catalogs, by catalog name. The name keys every event of the catalog. */
    Map<String, CatalogConfig> catalogs();

    /** How often the scheduler checks which catalogs are due for a poll. */
    @WithDefault("1s")
    Duration tick();

    /**
     * The poller is stuck (health DOWN) when it has not finished a tick or a catalog's poll for this long; a poll
     * is bounded by its retries and its HTTP timeouts, well within this.
     */
    @WithDefault("10m")
    Duration stuckAfter();

    /** Largest upstream response the watcher reads (listing, release, manifest); larger ones are rejected. */
    @WithDefault("8388608")
    long maxResponseBytes();

    /** Retries of one upstream request on 429, 5xx and connection errors. */
    Retry retry();

    /** How App Registry catalogs are read. */
    AppRegistry appRegistry();

    /** Identity written as the CloudEvents {@code source} of every event. */
    @WithDefault("/catalog-autopilot/watcher-service")
    String eventSource();

    /** One watched catalog. */
    interface CatalogConfig {

        /** {@code app-registry} (Quay CNR API namespace) or {@code index-image} (an index image tag). */
        SourceType type();

        /** App Registry base URL, for example {@code https://quay.io/cnr}. */
        Optional<URI> url();

        /** App Registry namespace, for example {@code redhat-operators}. */
        Optional<String> namespace();

        /** Index image reference with a tag, for example {@code registry.example.com/redhat/redhat-operator-index:v4.16}. */
        Optional<String> image();

        /** Time between two polls of this catalog. */
        @WithDefault("60s")
        Duration pollInterval();

        /** Package filter; without one every package is watched. */
        Packages packages();

        /**
         * Credentials file. App Registry: a file holding the token, or JSON {"username":..,"password":..} to log
         * in with. Index image: an auth.json / docker config.json. Default for index images: the standard
         * locations ($REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json, ~/.docker/config.json).
         */
        Optional<String> credentials();

        /** Talk plain HTTP to this catalog's registry. TLS is verified otherwise. */
        @WithDefault("false")
        boolean insecure();
    }

    /** Include and exclude lists of package names; exclude wins. */
    interface Packages {
        /** Only these packages are watched, when set. */
        Optional<List<String>> include();

        /** These packages are never watched. */
        Optional<List<String>> exclude();
    }

    /** Backoff for transient upstream failures. */
    interface Retry {
        /** Attempts per request, the first included. */
        @WithDefault("4")
        int attempts();

        /** Delay before the first retry; it doubles on each further retry. */
        @WithName("initial-backoff")
        @WithDefault("200ms")
        Duration initialBackoff();
    }

    /** Reading App Registry namespaces. */
    interface AppRegistry {
        /**
         * Release lookups and archive checks of one catalog's poll in flight at once (1 to 64); each App Registry
         * catalog's HTTP connection pool holds as many connections.
         */
        @WithDefault("8")
        int pollConcurrency();
    }

    /** The two kinds of upstream. */
    enum SourceType {
        APP_REGISTRY, INDEX_IMAGE
    }
}
