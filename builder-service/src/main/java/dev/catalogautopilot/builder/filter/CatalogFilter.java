package dev.catalogautopilot.builder.filter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catalogautopilot.builder.fbc.Bundle;
import dev.catalogautopilot.builder.fbc.Catalog;
import dev.catalogautopilot.builder.fbc.CatalogPackage;
import dev.catalogautopilot.builder.fbc.Channel;
import dev.catalogautopilot.builder.fbc.ChannelEntry;
import dev.catalogautopilot.builder.fbc.ChannelGraph;
import dev.catalogautopilot.builder.fbc.Gvk;
import dev.catalogautopilot.builder.fbc.Property;
import dev.catalogautopilot.builder.fbc.Semver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Applies a {@link FilterSpec} to a valid catalog. Kept entries keep their upgrade edges unchanged, as opm's
 * filters do. Like {@code opm alpha diff}, the bundles that kept bundles depend on ({@code olm.gvk.required},
 * {@code olm.package.required}) are added back with the upgrade path from them to their channel head: the latest
 * bundle providing each required API or in each required range, preferring the default channel on a tie.
 */
public final class CatalogFilter {

    /** The filtered catalog and the packages the filter could not apply to, with reasons. */
    public record Result(Catalog catalog, Map<String, String> rejected) {
    }

    private static final Set<String> SKELETON_PROPERTIES = Set.of(Property.PACKAGE, Property.GVK,
            Property.GVK_REQUIRED, Property.PACKAGE_REQUIRED);

    private CatalogFilter() {
    }

    public static Result apply(Catalog catalog, FilterSpec spec) {
        // package -> channel -> kept entry names
        Map<String, Map<String, Set<String>>> kept = new TreeMap<>();
        Map<String, String> rejected = new TreeMap<>();
        for (CatalogPackage pkg : catalog.packages()) {
            if (!spec.keepsPackage(pkg.name())) {
                continue;
            }
            FilterSpec.PackageSpec packageSpec = spec.packageSpec(pkg.name());
            Set<String> missing = new TreeSet<>(packageSpec.channels());
            pkg.channels().forEach(c -> missing.remove(c.name()));
            if (!missing.isEmpty()) {
                rejected.put(pkg.name(), "the filter keeps channels " + missing + ", which the package does not have");
                continue;
            }
            Map<String, Set<String>> channels = new TreeMap<>();
            for (Channel channel : pkg.channels()) {
                if (!packageSpec.channels().isEmpty() && !packageSpec.channels().contains(channel.name())) {
                    continue;
                }
                Set<String> entries = keptEntries(pkg, channel, spec.headsOnly(), packageSpec);
                if (!entries.isEmpty()) {
                    channels.put(channel.name(), entries);
                }
            }
            if (channels.isEmpty()) {
                rejected.put(pkg.name(), "no bundle is within the filter's version range");
            } else if (pkg.defaultChannel() != null && !channels.containsKey(pkg.defaultChannel())) {
                rejected.put(pkg.name(), "the filter leaves out the default channel " + pkg.defaultChannel());
            } else {
                kept.put(pkg.name(), channels);
            }
        }
        addDependencies(catalog, spec, kept);
        keepDefaultChannels(catalog, kept);
        List<CatalogPackage> packages = new ArrayList<>();
        kept.forEach((name, channels) -> packages.add(restrict(catalog.find(name).orElseThrow(), channels)));
        return new Result(new Catalog(packages), rejected);
    }

    /**
     * What the filter reads of a package: its channels, and its bundles with only their version and dependency
     * properties. Filtering skeletons keeps the same channels and bundles as filtering whole packages, for a
     * fraction of the memory; {@link #restrict(CatalogPackage, CatalogPackage)} then applies the result.
     */
    public static CatalogPackage skeleton(CatalogPackage pkg) {
        List<Bundle> bundles = new ArrayList<>(pkg.bundles().size());
        for (Bundle bundle : pkg.bundles()) {
            bundles.add(new Bundle(bundle.name(), bundle.packageName(), null, bundle.properties().stream()
                    .filter(p -> SKELETON_PROPERTIES.contains(p.type())).toList(), List.of()));
        }
        return new CatalogPackage(pkg.name(), pkg.defaultChannel(), null, null, null, pkg.channels(), bundles,
                List.of());
    }

    /** {@code full} holding the channels and bundles its filtered {@link #skeleton} kept. */
    public static CatalogPackage restrict(CatalogPackage full, CatalogPackage keptSkeleton) {
        Set<String> bundles = new HashSet<>();
        keptSkeleton.bundles().forEach(b -> bundles.add(b.name()));
        return full.with(keptSkeleton.channels(), full.bundles().stream().filter(b -> bundles.contains(b.name()))
                .toList());
    }

    private static Set<String> keptEntries(CatalogPackage pkg, Channel channel, boolean headsOnly,
            FilterSpec.PackageSpec spec) {
        Set<String> entries = new TreeSet<>();
        if (spec.hasVersionRange()) {
            for (ChannelEntry entry : channel.entries()) {
                pkg.bundle(entry.name()).flatMap(Bundle::semver).filter(spec::inRange)
                        .ifPresent(v -> entries.add(entry.name()));
            }
        } else if (headsOnly) {
            new ChannelGraph(channel).head().ifPresent(entries::add);
        } else {
            channel.entries().forEach(e -> entries.add(e.name()));
        }
        return entries;
    }

    private static CatalogPackage restrict(CatalogPackage pkg, Map<String, Set<String>> channels) {
        List<Channel> keptChannels = new ArrayList<>();
        Set<String> bundles = new HashSet<>();
        for (Channel channel : pkg.channels()) {
            Set<String> names = channels.get(channel.name());
            if (names != null) {
                keptChannels.add(channel.withEntries(channel.entries().stream()
                        .filter(e -> names.contains(e.name())).toList()));
                bundles.addAll(names);
            }
        }
        return pkg.with(keptChannels, pkg.bundles().stream().filter(b -> bundles.contains(b.name())).toList());
    }

    /** A bundle as a member of one channel: dependency resolution picks per channel, as opm's model does. */
    private record Candidate(CatalogPackage pkg, Channel channel, Bundle bundle, Semver version) {
    }

    private static void addDependencies(Catalog catalog, FilterSpec spec, Map<String, Map<String, Set<String>>> kept) {
        List<Bundle> initial = new ArrayList<>();
        kept.forEach((name, channels) -> channels.values().forEach(entries -> entries.forEach(entry ->
                catalog.find(name).flatMap(p -> p.bundle(entry)).ifPresent(initial::add))));
        List<Bundle> frontier = initial;
        Set<String> visited = new HashSet<>();
        while (!frontier.isEmpty()) {
            Set<Gvk> apis = new HashSet<>();
            Map<String, List<Predicate<Semver>>> ranges = new LinkedHashMap<>();
            for (Bundle bundle : frontier) {
                if (!visited.add(bundle.packageName() + "/" + bundle.name())) {
                    continue;
                }
                apis.addAll(bundle.requiredApis());
                for (JsonNode required : bundle.requiredPackages()) {
                    String range = required.path("versionRange").asText("");
                    Predicate<Semver> inRange;
                    try {
                        inRange = range.isBlank() ? v -> true : Semver.range(range);
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                    ranges.computeIfAbsent(required.path("packageName").asText(""), k -> new ArrayList<>())
                            .add(inRange);
                }
            }
            List<Bundle> next = new ArrayList<>();
            if (apis.isEmpty() && ranges.isEmpty()) {
                break;
            }
            for (CatalogPackage pkg : catalog.packages()) {
                if (spec.exclude().contains(pkg.name())) {
                    continue;
                }
                for (Candidate provider : providers(pkg, apis, ranges.getOrDefault(pkg.name(), List.of()))) {
                    ChannelGraph graph = new ChannelGraph(provider.channel());
                    Optional<String> head = graph.head();
                    if (head.isEmpty()) {
                        continue;
                    }
                    Set<String> path = graph.between(provider.bundle().name(), head.get());
                    Set<String> entries = kept.computeIfAbsent(pkg.name(), n -> new TreeMap<>())
                            .computeIfAbsent(provider.channel().name(), n -> new TreeSet<>());
                    for (String name : path) {
                        if (entries.add(name)) {
                            pkg.bundle(name).ifPresent(next::add);
                        }
                    }
                }
            }
            frontier = next;
        }
    }

    /** A package that only dependencies brought in still needs its default channel: its head keeps it valid. */
    private static void keepDefaultChannels(Catalog catalog, Map<String, Map<String, Set<String>>> kept) {
        kept.forEach((name, channels) -> {
            CatalogPackage pkg = catalog.find(name).orElseThrow();
            if (pkg.defaultChannel() != null && !channels.containsKey(pkg.defaultChannel())) {
                pkg.channel(pkg.defaultChannel()).flatMap(c -> new ChannelGraph(c).head())
                        .ifPresent(head -> channels.put(pkg.defaultChannel(), new TreeSet<>(Set.of(head))));
            }
        });
    }

    /** The latest candidate providing each required API, and the latest in each required range. */
    private static List<Candidate> providers(CatalogPackage pkg, Set<Gvk> apis, List<Predicate<Semver>> ranges) {
        if (apis.isEmpty() && ranges.isEmpty()) {
            return List.of();
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Channel channel : pkg.channels()) {
            for (ChannelEntry entry : channel.entries()) {
                pkg.bundle(entry.name()).ifPresent(b -> b.semver().ifPresent(v ->
                        candidates.add(new Candidate(pkg, channel, b, v))));
            }
        }
        Comparator<Candidate> latest = Comparator.comparing(Candidate::version)
                .thenComparing(c -> c.channel().name().equals(pkg.defaultChannel()));
        List<Candidate> chosen = new ArrayList<>();
        for (Gvk api : apis) {
            candidates.stream().filter(c -> c.bundle().providedApis().contains(api)).max(latest)
                    .ifPresent(chosen::add);
        }
        for (Predicate<Semver> range : ranges) {
            candidates.stream().filter(c -> range.test(c.version())).max(latest).ifPresent(chosen::add);
        }
        return chosen;
    }
}
