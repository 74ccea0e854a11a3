package dev.catalogautopilot.mirror.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Where images are mirrored to, and how hard the workers work. */
@ConfigMapping(prefix = "mirror")
public interface MirrorConfig {

    /** Destination as {@code oc adm catalog mirror} takes it: a registry host, optionally with a path prefix. */
    String destination();

    /** Most path components of a target repository, prefix included; deeper paths are joined with {@code -}. 0 = unlimited. */
    @WithDefault("2")
    int maxComponents();

    /** Directory where each plan's mapping.txt, imageContentSourcePolicy.yaml and imageDigestMirrorSet.yaml are written. */
    @WithDefault("mirror-manifests")
    String manifestsDir();

    /** The copy workers of this instance. */
    Worker worker();

    /** How registries are reached. */
    Registry registry();

    /** Bounds on a plan and how stuck work is found. */
    Plans plans();

    /**
     * The copy workers or the plan reconciler are stuck (health DOWN) when they have neither passed idle nor placed
     * a blob or finished a job for this long.
     */
    @WithDefault("10m")
    Duration stuckAfter();

    /** How often the queue-depth gauges ({@code mirror_jobs}, {@code mirror_plans_running}) are read. */
    @WithDefault("15s")
    Duration metricsRefresh();

    /** The copy workers of this instance. */
    interface Worker {

        /** This instance's identity on leases and job records; keep it stable across restarts (e.g. the pod name). */
        @WithDefault("${HOSTNAME:mirror-worker}")
        String id();

        /** Images this instance copies at the same time. */
        @WithDefault("4")
        int jobs();

        /** Blobs of one image copied at the same time. */
        @WithDefault("4")
        int blobsPerJob();

        /** How long a leased job stays this instance's without renewal; renewed every third of it while copying. */
        @WithDefault("30s")
        Duration lease();

        /** How often idle workers look for queued jobs. */
        @WithDefault("1s")
        Duration pollInterval();

        /** Attempts per image, the first included, before its job fails; permanent errors fail at once. */
        @WithDefault("3")
        int maxAttempts();

        /** Wait before a failed image is tried again; doubles per attempt. */
        @WithDefault("2s")
        Duration retryBackoff();

        /** Most job outcomes recorded in one transaction. */
        @WithDefault("500")
        int resultsBatch();
    }

    /** Bounds on a plan and how stuck work is found. */
    interface Plans {

        /** A plan still running this long after it was made fails, naming every image without an outcome. */
        @WithDefault("6h")
        Duration deadline();

        /** How often the reconciler looks for stuck plans and jobs. */
        @WithDefault("15s")
        Duration reconcileInterval();

        /** A job still waiting for its request this long after planning is queued without it (the request was lost). */
        @WithDefault("2m")
        Duration requestTimeout();

        /**
         * An image pinned by digest that an earlier plan copied to the same target less than this long ago is not
         * copied or checked again: its job is done when planned, so re-planning an unchanged catalog costs one query,
         * not a job per image. Older records get a job, which checks the target and renews the record. 0 checks
         * every image every time (for a mirror registry whose content may be deleted behind the service's back).
         */
        @WithDefault("7d")
        Duration reuseMirroredFor();
    }

    /** How registries are reached. */
    interface Registry {

        /** auth.json / docker config.json with credentials; default the standard locations. */
        Optional<String> authFile();

        /** Registries spoken to over plain HTTP (host:port); every other registry uses verified TLS. */
        Optional<List<String>> insecure();

        /** Retries of one request on 429, 5xx and connection errors. */
        @WithDefault("5")
        int retries();

        /** First backoff delay of a request retry; doubles per retry, with jitter. */
        @WithDefault("200ms")
        Duration backoff();

        /** Longest wait for a registry's response headers. */
        @WithDefault("5m")
        Duration requestTimeout();

        /**
         * Longest wait for the next bytes of a response body (manifest, blob, token, error) or for a streamed copy
         * to move on; the read then fails and the image's attempt is retried like a broken connection.
         */
        @WithDefault("60s")
        Duration idleTimeout();

        /**
         * Blobs at least this many bytes are streamed registry to registry over pooled keep-alive sockets, which
         * cost a fraction of the HttpClient's CPU per byte and per request; 0 (every blob) unless turned off with
         * a huge value.
         */
        @WithDefault("0")
        long socketThreshold();
    }
}
