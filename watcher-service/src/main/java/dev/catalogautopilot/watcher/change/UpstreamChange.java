package dev.catalogautopilot.watcher.change;

import dev.catalogautopilot.events.catalog.PackageSnapshot;

import java.util.List;

/** The difference between two snapshots of one catalog's upstream. */
public record UpstreamChange(
        List<PackageSnapshot> added,
        List<PackageUpdate> updated,
        List<PackageSnapshot> removed,
        String previousIndexDigest,
        String indexDigest) {

    /** A package whose fingerprint changed. */
    public record PackageUpdate(PackageSnapshot previous, PackageSnapshot current) {
    }

    public boolean isEmpty() {
        return added.isEmpty() && updated.isEmpty() && removed.isEmpty()
                && java.util.Objects.equals(previousIndexDigest, indexDigest);
    }
}
