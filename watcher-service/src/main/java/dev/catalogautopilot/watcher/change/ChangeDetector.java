package dev.catalogautopilot.watcher.change;

import dev.catalogautopilot.events.catalog.PackageSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Compares the last recorded snapshot with a new one; the first snapshot of a catalog is all "added". */
public final class ChangeDetector {

    private ChangeDetector() {
    }

    public static Optional<UpstreamChange> detect(UpstreamSnapshot previous, UpstreamSnapshot current) {
        List<PackageSnapshot> added = new ArrayList<>();
        List<UpstreamChange.PackageUpdate> updated = new ArrayList<>();
        List<PackageSnapshot> removed = new ArrayList<>();
        var before = previous == null ? java.util.Map.<String, PackageSnapshot>of() : previous.packages();
        current.packages().forEach((name, now) -> {
            PackageSnapshot then = before.get(name);
            if (then == null) {
                added.add(now);
            } else if (!then.equals(now)) {
                updated.add(new UpstreamChange.PackageUpdate(then, now));
            }
        });
        before.forEach((name, then) -> {
            if (!current.packages().containsKey(name)) {
                removed.add(then);
            }
        });
        String previousDigest = previous == null ? null : previous.indexDigest();
        UpstreamChange change = new UpstreamChange(added, updated, removed, previousDigest, current.indexDigest());
        boolean firstSight = previous == null;
        return firstSight || !change.isEmpty() ? Optional.of(change) : Optional.empty();
    }
}
