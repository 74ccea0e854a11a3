package dev.catalogautopilot.testing.appregistry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An immutable view of one package: its releases newest first, by semver precedence as CNR lists them.
 *
 * @param createdAt when its first release was published
 */
record StoredPackage(String name, Instant createdAt, List<StoredRelease> releases) {

    static final Comparator<StoredRelease> NEWEST_FIRST =
            Comparator.comparing(StoredRelease::release, SemanticVersion.ORDER).reversed();

    StoredPackage {
        releases = releases.stream().sorted(NEWEST_FIRST).toList();
    }

    static StoredPackage first(StoredRelease release) {
        return new StoredPackage(release.manifest().packageName(), release.createdAt(), List.of(release));
    }

    StoredPackage with(StoredRelease release) {
        List<StoredRelease> all = new ArrayList<>(releases);
        all.add(release);
        return new StoredPackage(name, createdAt, all);
    }

    /** The {@code default} release: the newest. */
    StoredRelease latest() {
        return releases.get(0);
    }

    /** When its newest release was published. */
    Instant updatedAt() {
        return releases.stream().map(StoredRelease::createdAt).max(Comparator.naturalOrder()).orElse(createdAt);
    }

    Optional<StoredRelease> release(String name) {
        return releases.stream().filter(r -> r.release().equals(name)).findFirst();
    }

    Optional<StoredRelease> releaseWithDigest(String digest) {
        return releases.stream().filter(r -> r.archive().digest().equals(digest)).findFirst();
    }
}
