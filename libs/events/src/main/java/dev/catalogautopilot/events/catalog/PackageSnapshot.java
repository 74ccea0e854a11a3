package dev.catalogautopilot.events.catalog;

import java.util.List;
import java.util.Objects;

/**
 * One upstream package as the watcher saw it; its fingerprint is the default release, the release list and the digest.
 *
 * @param name           package name without namespace, e.g. {@code etcd}
 * @param defaultRelease the latest release, which holds the whole package
 * @param releases       every release, in the order the upstream lists them
 * @param digest         content digest of the default release, {@code sha256:…}
 */
public record PackageSnapshot(String name, String defaultRelease, List<String> releases, String digest) {
    public PackageSnapshot {
        Objects.requireNonNull(name, "name");
        releases = List.copyOf(Objects.requireNonNullElse(releases, List.of()));
    }
}
