package dev.catalogautopilot.watcher.change;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.events.catalog.PackageSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeDetectorTest {

    private static PackageSnapshot pkg(String name, String release, String digest) {
        return new PackageSnapshot(name, release, List.of("1.0.0", release), digest);
    }

    @Test
    void firstSightReportsEveryPackageAsAdded() {
        UpstreamSnapshot now = UpstreamSnapshot.ofPackages(List.of(pkg("etcd", "1.0.1", "sha256:a"), pkg("jaeger", "1.0.0", "sha256:b")));
        UpstreamChange change = ChangeDetector.detect(null, now).orElseThrow();
        assertThat(change.added()).extracting(PackageSnapshot::name).containsExactly("etcd", "jaeger");
        assertThat(change.updated()).isEmpty();
        assertThat(change.removed()).isEmpty();
    }

    @Test
    void firstSightOfAnEmptyNamespaceIsStillAChange() {
        assertThat(ChangeDetector.detect(null, UpstreamSnapshot.ofPackages(List.of()))).isPresent();
    }

    @Test
    void identicalSnapshotsAreNoChange() {
        UpstreamSnapshot a = UpstreamSnapshot.ofPackages(List.of(pkg("etcd", "1.0.1", "sha256:a")));
        UpstreamSnapshot b = UpstreamSnapshot.ofPackages(List.of(pkg("etcd", "1.0.1", "sha256:a")));
        assertThat(ChangeDetector.detect(a, b)).isEmpty();
        assertThat(a.revision()).isEqualTo(b.revision());
    }

    @Test
    void reportsAddedUpdatedAndRemovedPackages() {
        UpstreamSnapshot before = UpstreamSnapshot.ofPackages(List.of(
                pkg("etcd", "1.0.0", "sha256:a"), pkg("jaeger", "1.0.0", "sha256:b")));
        UpstreamSnapshot after = UpstreamSnapshot.ofPackages(List.of(
                pkg("etcd", "1.0.1", "sha256:c"), pkg("strimzi", "1.0.0", "sha256:d")));
        UpstreamChange change = ChangeDetector.detect(before, after).orElseThrow();
        assertThat(change.added()).extracting(PackageSnapshot::name).containsExactly("strimzi");
        assertThat(change.updated()).singleElement().satisfies(u -> {
            assertThat(u.previous().digest()).isEqualTo("sha256:a");
            assertThat(u.current().digest()).isEqualTo("sha256:c");
        });
        assertThat(change.removed()).extracting(PackageSnapshot::name).containsExactly("jaeger");
        assertThat(before.revision()).isNotEqualTo(after.revision());
    }

    @Test
    void aDigestChangeAloneIsAnUpdate() {
        UpstreamSnapshot before = UpstreamSnapshot.ofPackages(List.of(pkg("etcd", "1.0.0", "sha256:a")));
        UpstreamSnapshot after = UpstreamSnapshot.ofPackages(List.of(pkg("etcd", "1.0.0", "sha256:b")));
        assertThat(ChangeDetector.detect(before, after)).hasValueSatisfying(c -> assertThat(c.updated()).hasSize(1));
    }

    @Test
    void indexImageChangesCarryBothDigests() {
        UpstreamSnapshot before = UpstreamSnapshot.ofIndexImage("sha256:old");
        UpstreamSnapshot after = UpstreamSnapshot.ofIndexImage("sha256:new");
        UpstreamChange change = ChangeDetector.detect(before, after).orElseThrow();
        assertThat(change.previousIndexDigest()).isEqualTo("sha256:old");
        assertThat(change.indexDigest()).isEqualTo("sha256:new");
        assertThat(ChangeDetector.detect(after, UpstreamSnapshot.ofIndexImage("sha256:new"))).isEmpty();
        assertThat(after.revision()).isEqualTo("sha256:new");
    }

    @Test
    void filterAppliesIncludeThenExclude() {
        PackageFilter all = PackageFilter.of(List.of(), List.of("jaeger"));
        assertThat(all.accepts("etcd")).isTrue();
        assertThat(all.accepts("jaeger")).isFalse();
        PackageFilter some = PackageFilter.of(List.of("etcd", "jaeger"), List.of("jaeger"));
        assertThat(some.accepts("etcd")).isTrue();
        assertThat(some.accepts("jaeger")).isFalse();
        assertThat(some.accepts("strimzi")).isFalse();
    }
}
