package dev.catalogautopilot.events;

import dev.catalogautopilot.events.catalog.CatalogBuildFailed;
import dev.catalogautopilot.events.catalog.CatalogBuilt;
import dev.catalogautopilot.events.catalog.CatalogChanged;
import dev.catalogautopilot.events.catalog.CatalogCounts;
import dev.catalogautopilot.events.catalog.CatalogDiff;
import dev.catalogautopilot.events.catalog.CatalogWatchFailed;
import dev.catalogautopilot.events.catalog.ChannelHeadChange;
import dev.catalogautopilot.events.catalog.ExcludedPackage;
import dev.catalogautopilot.events.catalog.IndexImageChange;
import dev.catalogautopilot.events.catalog.PackageChange;
import dev.catalogautopilot.events.catalog.PackageSnapshot;
import dev.catalogautopilot.events.catalog.PlatformImage;
import dev.catalogautopilot.events.catalog.UpstreamSource;
import dev.catalogautopilot.events.catalog.WatchTrigger;
import dev.catalogautopilot.events.mirror.CatalogMirrorFailed;
import dev.catalogautopilot.events.mirror.CatalogMirrored;
import dev.catalogautopilot.events.mirror.FailedImage;
import dev.catalogautopilot.events.mirror.MirrorJobCompleted;
import dev.catalogautopilot.events.mirror.MirrorJobFailed;
import dev.catalogautopilot.events.mirror.MirrorJobRequested;
import dev.catalogautopilot.events.mirror.MirrorStats;
import dev.catalogautopilot.events.rollout.ClusterFailed;
import dev.catalogautopilot.events.rollout.ClusterFailure;
import dev.catalogautopilot.events.rollout.ClusterRolledBack;
import dev.catalogautopilot.events.rollout.ClusterUpdated;
import dev.catalogautopilot.events.rollout.MirrorSetOutcome;
import dev.catalogautopilot.events.rollout.RolloutAction;
import dev.catalogautopilot.events.rollout.RolloutActionRecorded;
import dev.catalogautopilot.events.rollout.RolloutCompleted;
import dev.catalogautopilot.events.rollout.RolloutHalted;
import dev.catalogautopilot.events.rollout.RolloutStarted;
import dev.catalogautopilot.events.rollout.RolloutSuperseded;
import dev.catalogautopilot.events.rollout.Wave;
import dev.catalogautopilot.events.rollout.WaveCompleted;
import dev.catalogautopilot.events.rollout.WaveStarted;
import java.time.Instant;
import java.util.List;

/** One realistic data record per event type: the round-trip tests' inputs and the examples in docs/events.md. */
public final class EventExamples {

    public static final String CATALOG = "redhat-operators";
    public static final String PLAN = "plan-7d1c2a";
    public static final String ROLLOUT = "rollout-4f2e9b";
    public static final Instant T0 = Instant.parse("2025-03-04T10:15:30.123Z");

    public static final UpstreamSource APP_REGISTRY =
            new UpstreamSource.AppRegistry("https://quay.io/cnr", "redhat-operators");
    public static final UpstreamSource INDEX_IMAGE =
            new UpstreamSource.IndexImage("registry.redhat.io/redhat/redhat-operator-index:v4.16");

    public static final String STRIMZI_OPERATOR =
            "quay.io/strimzi/operator@sha256:0e37f671e6d489c3e56ffb8f51f19a2a014b2cb3f57eafcc5e2931090932e725";
    public static final String ETCD_OPERATOR =
            "quay.io/coreos/etcd-operator@sha256:66a37fd61a06a43969854ee6d3e21087a98b93838e284a6086b13917f96b0d9b";
    public static final String MIRROR = "mirror.example.com:5000";
    public static final String BUILT_IMAGE = MIRROR + "/olm/redhat-operators:v2"
            + "@sha256:5b0e5ff2a3e5bcfd3b2c3a6b5e2f0a9e1d7c4b8a6f3e2d1c0b9a8f7e6d5c4b3a";
    public static final String MIRRORED_IMAGE = MIRROR + "/olm/redhat-operators"
            + "@sha256:5b0e5ff2a3e5bcfd3b2c3a6b5e2f0a9e1d7c4b8a6f3e2d1c0b9a8f7e6d5c4b3a";
    public static final String PREVIOUS_IMAGE = MIRROR + "/olm/redhat-operators"
            + "@sha256:9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0";

    private EventExamples() {
    }

    /** Every example, in {@link EventCatalog#types()} order. */
    public static List<EventData> all() {
        return List.of(
                catalogChanged(),
                new CatalogWatchFailed(CATALOG, APP_REGISTRY,
                        "GET https://quay.io/cnr/api/v1/packages?namespace=redhat-operators: HTTP 503",
                        3, Instant.parse("2025-03-04T09:45:00Z")),
                catalogBuilt(),
                new CatalogBuildFailed(CATALOG,
                        "sha256:3f1a0c9e5d7b2a4c6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d",
                        "base image has no linux/amd64 platform",
                        List.of("base image registry.redhat.io/openshift4/ose-operator-registry:v4.16 "
                                        + "offers linux/arm64, linux/ppc64le",
                                "selected platforms: linux/amd64")),
                mirrorJobRequested(),
                new MirrorJobCompleted(PLAN, CATALOG, STRIMZI_OPERATOR, strimziTarget(),
                        "sha256:0e37f671e6d489c3e56ffb8f51f19a2a014b2cb3f57eafcc5e2931090932e725",
                        new MirrorStats(48_213_504L, 5, 2, 1, 3, 2_140L), "mirror-service-6f9c8-2"),
                new MirrorJobFailed(PLAN, CATALOG, ETCD_OPERATOR,
                        MIRROR + "/coreos/etcd-operator:"
                                + "66a37fd61a06a43969854ee6d3e21087a98b93838e284a6086b13917f96b0d9b",
                        "GET quay.io/v2/coreos/etcd-operator/manifests/sha256:66a3…: HTTP 404 MANIFEST_UNKNOWN", 5),
                catalogMirrored(),
                new CatalogMirrorFailed(CATALOG, PLAN,
                        List.of(new FailedImage(ETCD_OPERATOR, "HTTP 404 MANIFEST_UNKNOWN")), 1,
                        "1 of 405 images could not be mirrored"),
                new RolloutStarted(CATALOG, ROLLOUT, MIRRORED_IMAGE, List.of(
                        new Wave(0, "canary", List.of("dev-east-1"), false),
                        new Wave(1, "staging", List.of("stage-east-1", "stage-west-1"), true),
                        new Wave(2, "production", List.of("prod-east-1", "prod-east-2", "prod-west-1"), true)),
                        "rollout-1a7c3d"),
                new WaveStarted(CATALOG, ROLLOUT, 1, List.of("stage-east-1", "stage-west-1")),
                new ClusterUpdated(CATALOG, ROLLOUT, "stage-east-1", 1, PREVIOUS_IMAGE, MIRRORED_IMAGE,
                        MirrorSetOutcome.UNCHANGED, Instant.parse("2025-03-04T11:02:41.518Z")),
                new ClusterFailed(CATALOG, ROLLOUT, "stage-west-1", 1,
                        "CatalogSource redhat-operators not READY within PT5M; last observed TRANSIENT_FAILURE",
                        PREVIOUS_IMAGE, false),
                new ClusterRolledBack(CATALOG, ROLLOUT, "stage-west-1", 1, PREVIOUS_IMAGE),
                new WaveCompleted(CATALOG, ROLLOUT, 0, List.of("dev-east-1")),
                new RolloutCompleted(CATALOG, ROLLOUT, 6, MIRRORED_IMAGE,
                        "sha256:5b0e5ff2a3e5bcfd3b2c3a6b5e2f0a9e1d7c4b8a6f3e2d1c0b9a8f7e6d5c4b3a"),
                new RolloutHalted(CATALOG, ROLLOUT, 1, List.of(new ClusterFailure("stage-west-1",
                        "CatalogSource redhat-operators not READY within PT5M; last observed TRANSIENT_FAILURE"))),
                new RolloutSuperseded(CATALOG, "rollout-1a7c3d", ROLLOUT),
                new RolloutActionRecorded(CATALOG, ROLLOUT, RolloutAction.APPROVE, "alice@example.com", 2,
                        "staging soaked overnight without alerts"));
    }

    public static CatalogChanged catalogChanged() {
        PackageSnapshot etcd = new PackageSnapshot("etcd", "0.9.4", List.of("0.6.1", "0.9.0", "0.9.2", "0.9.4"),
                "sha256:8c1d4a4e0a6b0d1b1e4d8f7f0f4b7c7c2e8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c");
        PackageSnapshot strimziBefore = new PackageSnapshot("strimzi-kafka-operator", "0.23.0",
                List.of("0.22.1", "0.23.0"),
                "sha256:1f2e3d4c5b6a79880716253443526170f1e2d3c4b5a69788f0e1d2c3b4a59687");
        PackageSnapshot strimzi = new PackageSnapshot("strimzi-kafka-operator", "0.24.0",
                List.of("0.22.1", "0.23.0", "0.24.0"),
                "sha256:a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c");
        PackageSnapshot jaeger = new PackageSnapshot("jaeger", "1.24.0", List.of("1.24.0"),
                "sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9");
        PackageSnapshot prometheus = new PackageSnapshot("prometheus", "0.32.0", List.of("0.32.0"),
                "sha256:ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100");
        return new CatalogChanged(CATALOG, APP_REGISTRY, WatchTrigger.POLL,
                "sha256:3f1a0c9e5d7b2a4c6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d",
                "sha256:b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4",
                List.of(etcd, jaeger, strimzi),
                List.of(PackageChange.added(jaeger)),
                List.of(PackageChange.updated(strimziBefore, strimzi)),
                List.of(PackageChange.removed(prometheus)),
                null,
                T0);
    }

    /** The same change from an index image source. */
    public static CatalogChanged indexImageChanged() {
        return new CatalogChanged(CATALOG, INDEX_IMAGE, WatchTrigger.MANUAL,
                "sha256:c0ffee0000000000000000000000000000000000000000000000000000000001", null,
                List.of(), List.of(), List.of(), List.of(),
                new IndexImageChange(
                        "registry.redhat.io/redhat/redhat-operator-index:v4.16",
                        null, "sha256:c0ffee0000000000000000000000000000000000000000000000000000000001"),
                T0);
    }

    public static CatalogBuilt catalogBuilt() {
        return new CatalogBuilt(CATALOG,
                "sha256:3f1a0c9e5d7b2a4c6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d",
                BUILT_IMAGE,
                List.of(new PlatformImage("linux", "amd64", null,
                                "sha256:11aa22bb33cc44dd55ee66ff77008899aabbccddeeff00112233445566778899"),
                        new PlatformImage("linux", "arm64", "v8",
                                "sha256:99887766554433221100ffeeddccbbaa99887766554433221100ffeeddccbbaa")),
                new CatalogCounts(24, 39, 212),
                List.of(new ExcludedPackage("3scale-community-operator",
                        "channel 'threescale-2.5' has 2 heads: 3scale-community-operator.v0.3.0, "
                                + "3scale-community-operator.v0.4.0")),
                new ContentRef(MIRROR + "/olm/redhat-operators@sha256:"
                        + "5b0e3d6f9a2c4e7b1d3f5a8c0e2b4d7f9a1c3e5b8d0f2a4c6e9b1d3f5a7c0e2b",
                        ContentTypes.REFERENCED_IMAGES, 33_696, 405),
                new CatalogDiff(PREVIOUS_IMAGE,
                        List.of("jaeger-operator.v1.24.0", "strimzi-cluster-operator.v0.24.0"),
                        List.of("prometheusoperator.0.32.0"),
                        List.of(new ChannelHeadChange("strimzi-kafka-operator", "stable",
                                "strimzi-cluster-operator.v0.23.0", "strimzi-cluster-operator.v0.24.0")),
                        List.of(STRIMZI_OPERATOR),
                        List.of("quay.io/prometheus/prometheus@sha256:"
                                + "4c6a8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c"))
                        .preview(new ContentRef(MIRROR + "/olm/redhat-operators@sha256:"
                                + "8e1a3c5f7b9d2e4a6c8f0b3d5e7a9c1f4b6d8e0a2c5f7b9d1e3a6c8f0b2d4e7a",
                                ContentTypes.CATALOG_DIFF, 812, 6)));
    }

    public static MirrorJobRequested mirrorJobRequested() {
        return new MirrorJobRequested(PLAN, CATALOG, STRIMZI_OPERATOR, strimziTarget(), 1);
    }

    public static CatalogMirrored catalogMirrored() {
        return new CatalogMirrored(CATALOG, PLAN, MIRRORED_IMAGE, BUILT_IMAGE,
                new ContentRef(MIRRORED_IMAGE.substring(0, MIRRORED_IMAGE.indexOf('@')) + "@sha256:"
                        + "2d4f6a8c0e3b5d7f9a1c4e6b8d0f2a5c7e9b1d3f6a8c0e2b4d7f9a1c3e5b8d0f",
                        ContentTypes.IMAGE_CONTENT_SOURCE_POLICY, 9_214, 97),
                new ContentRef(MIRRORED_IMAGE.substring(0, MIRRORED_IMAGE.indexOf('@')) + "@sha256:"
                        + "7c9e1b3d5f8a0c2e4b6d9f1a3c5e7b0d2f4a6c8e1b3d5f7a9c2e4b6d8f0a3c5e",
                        ContentTypes.IMAGE_DIGEST_MIRROR_SET, 8_830, 97),
                new ContentRef(MIRRORED_IMAGE.substring(0, MIRRORED_IMAGE.indexOf('@')) + "@sha256:"
                        + "0f2b4d6a8c1e3f5b7d9a2c4e6f8b0d3a5c7e9f1b4d6a8c0e2f5b7d9a1c3e6f8b",
                        ContentTypes.MAPPING, 58_320, 405),
                new MirrorStats(682_311_680L, 920, 310, 87, 260, 171_400L),
                405, 380, T0);
    }

    private static String strimziTarget() {
        return MIRROR + "/strimzi/operator:0e37f671e6d489c3e56ffb8f51f19a2a014b2cb3f57eafcc5e2931090932e725";
    }
}
