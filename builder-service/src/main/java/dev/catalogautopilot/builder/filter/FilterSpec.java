package dev.catalogautopilot.builder.filter;

import dev.catalogautopilot.builder.fbc.Semver;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What to keep of a catalog, like oc-mirror's ImageSetConfiguration: packages to include (all when empty) and to
 * exclude (exclude wins), heads only or every bundle, and per package the channels and a version range.
 *
 * @param headsOnly keep only each channel's head, except for packages with a version range
 * @param packages  per-package settings by package name
 */
public record FilterSpec(Set<String> include, Set<String> exclude, boolean headsOnly,
        Map<String, PackageSpec> packages) {

    /** Keeps everything. */
    public static final FilterSpec ALL = new FilterSpec(Set.of(), Set.of(), false, Map.of());

    public FilterSpec {
        include = Set.copyOf(include);
        exclude = Set.copyOf(exclude);
        packages = Map.copyOf(packages);
    }

    /** Whether a package of this name is kept at all (before its content is filtered). */
    public boolean keepsPackage(String name) {
        return (include.isEmpty() || include.contains(name)) && !exclude.contains(name);
    }

    /**
     * Whether every package kept is kept whole: no include list (through which dependencies could bring in part of
     * a package left out), no heads-only and no per-package settings. Exclusions only drop whole packages.
     */
    public boolean keepsWholePackages() {
        return include.isEmpty() && !headsOnly && packages.isEmpty();
    }

    public PackageSpec packageSpec(String name) {
        return packages.getOrDefault(name, PackageSpec.ALL);
    }

    /**
     * Settings of one package.
     *
     * @param channels   the channels to keep; all when empty
     * @param minVersion lowest version kept; with or without {@code maxVersion} it replaces heads-only
     * @param maxVersion highest version kept
     */
    public record PackageSpec(Set<String> channels, Optional<Semver> minVersion, Optional<Semver> maxVersion) {

        public static final PackageSpec ALL = new PackageSpec(Set.of(), Optional.empty(), Optional.empty());

        public PackageSpec {
            channels = Set.copyOf(channels);
        }

        public boolean hasVersionRange() {
            return minVersion.isPresent() || maxVersion.isPresent();
        }

        public boolean inRange(Semver version) {
            return minVersion.map(min -> version.compareTo(min) >= 0).orElse(true)
                    && maxVersion.map(max -> version.compareTo(max) <= 0).orElse(true);
        }
    }
}
