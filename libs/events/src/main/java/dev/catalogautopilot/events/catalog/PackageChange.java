package dev.catalogautopilot.events.catalog;

import java.util.List;
import java.util.Objects;

/**
 * One package that was added, updated or removed upstream. For an added or updated package {@code release},
 * {@code releases} and {@code digest} are its new state; for a removed one, its last known state. The
 * {@code previous*} fields are set for updates only.
 *
 * @param name            package name
 * @param release         default release
 * @param releases        every release
 * @param digest          content digest of the default release
 * @param previousRelease default release before an update, otherwise null
 * @param previousDigest  content digest before an update, otherwise null
 */
public record PackageChange(
        String name,
        String release,
        List<String> releases,
        String digest,
        String previousRelease,
        String previousDigest) {

    public PackageChange {
        Objects.requireNonNull(name, "name");
        releases = List.copyOf(Objects.requireNonNullElse(releases, List.of()));
    }

    /** A package that appeared upstream. */
    public static PackageChange added(PackageSnapshot now) {
        return new PackageChange(now.name(), now.defaultRelease(), now.releases(), now.digest(), null, null);
    }

    /** A package whose fingerprint changed. */
    public static PackageChange updated(PackageSnapshot before, PackageSnapshot now) {
        return new PackageChange(now.name(), now.defaultRelease(), now.releases(), now.digest(),
                before.defaultRelease(), before.digest());
    }

    /** A package that disappeared upstream. */
    public static PackageChange removed(PackageSnapshot before) {
        return new PackageChange(before.name(), before.defaultRelease(), before.releases(), before.digest(),
                null, null);
    }
}
