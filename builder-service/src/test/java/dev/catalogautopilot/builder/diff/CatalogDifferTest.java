package dev.catalogautopilot.builder.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.events.catalog.CatalogDiff;
import dev.catalogautopilot.events.catalog.ChannelHeadChange;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CatalogDifferTest {

    private final CatalogSummary before = summary(Set.of("etcd/etcd.v1", "etcd/etcd.v2", "jaeger/jaeger.v1"),
            Map.of("etcd/stable", "etcd.v2", "jaeger/stable", "jaeger.v1"), Set.of("quay.io/etcd:1", "quay.io/etcd:2"));

    @Test
    void aFirstBuildAddsEverything() {
        CatalogDiff diff = CatalogDiffer.diff(null, null, before);
        assertThat(diff.previousImage()).isNull();
        assertThat(diff.bundlesAdded()).containsExactly("etcd.v1", "etcd.v2", "jaeger.v1");
        assertThat(diff.channelHeadsChanged()).containsExactly(new ChannelHeadChange("etcd", "stable", null, "etcd.v2"),
                new ChannelHeadChange("jaeger", "stable", null, "jaeger.v1"));
        assertThat(diff.relatedImagesAdded()).containsExactly("quay.io/etcd:1", "quay.io/etcd:2");
    }

    @Test
    void namesWhatChangedBetweenTwoBuilds() {
        CatalogSummary after = summary(Set.of("etcd/etcd.v2", "etcd/etcd.v3", "jaeger/jaeger.v1"),
                Map.of("etcd/stable", "etcd.v3", "jaeger/stable", "jaeger.v1", "etcd/fast", "etcd.v3"),
                Set.of("quay.io/etcd:2", "quay.io/etcd:3"));
        CatalogDiff diff = CatalogDiffer.diff(before, "mirror/olm/c:v2@sha256:" + "a".repeat(64), after);
        assertThat(diff.previousImage()).endsWith("a".repeat(64));
        assertThat(diff.bundlesAdded()).containsExactly("etcd.v3");
        assertThat(diff.bundlesRemoved()).containsExactly("etcd.v1");
        assertThat(diff.channelHeadsChanged()).containsExactly(new ChannelHeadChange("etcd", "fast", null, "etcd.v3"),
                new ChannelHeadChange("etcd", "stable", "etcd.v2", "etcd.v3"));
        assertThat(diff.relatedImagesAdded()).containsExactly("quay.io/etcd:3");
        assertThat(diff.relatedImagesRemoved()).containsExactly("quay.io/etcd:1");
        assertThat(CatalogDiffer.diff(after, "x", after).isEmpty()).isTrue();
    }

    private static CatalogSummary summary(Set<String> bundles, Map<String, String> heads, Set<String> images) {
        return new CatalogSummary(new TreeSet<>(bundles), new TreeMap<>(heads), new TreeSet<>(images));
    }
}
