package dev.catalogautopilot.builder.validate;

import dev.catalogautopilot.builder.fbc.Bundle;
import dev.catalogautopilot.builder.fbc.CatalogPackage;
import dev.catalogautopilot.builder.fbc.Channel;
import dev.catalogautopilot.builder.fbc.ChannelEntry;
import dev.catalogautopilot.builder.fbc.ChannelGraph;
import dev.catalogautopilot.builder.fbc.Semver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The package rules {@code opm validate} enforces (ARCHITECTURE.md §3.3): every channel entry names a bundle of
 * the package; the default channel exists; each channel has exactly one head; no {@code replaces} cycles; bundle
 * names are unique; versions are semver. It also requires every bundle to be in a channel and to name its package
 * in {@code olm.package}, as opm's model does.
 */
public final class CatalogValidator {

    private CatalogValidator() {
    }

    /** Every rule {@code pkg} breaks, one sentence each; empty when valid. */
    public static List<String> problems(CatalogPackage pkg) {
        List<String> problems = new ArrayList<>();
        Set<String> bundleNames = new HashSet<>();
        Set<String> duplicates = new TreeSet<>();
        for (Bundle bundle : pkg.bundles()) {
            if (!bundleNames.add(bundle.name())) {
                duplicates.add(bundle.name());
            }
        }
        duplicates.forEach(name -> problems.add("bundle name " + name + " is used more than once"));
        if (pkg.channels().isEmpty()) {
            problems.add("package has no channels");
        }
        if (pkg.defaultChannel() == null) {
            problems.add("package has no default channel");
        } else if (pkg.channel(pkg.defaultChannel()).isEmpty()) {
            problems.add("default channel " + pkg.defaultChannel() + " does not exist");
        }
        Set<String> inChannels = new HashSet<>();
        for (Channel channel : pkg.channels()) {
            channelProblems(channel, bundleNames, problems);
            channel.entries().forEach(e -> inChannels.add(e.name()));
        }
        for (Bundle bundle : pkg.bundles()) {
            if (!inChannels.contains(bundle.name())) {
                problems.add("bundle " + bundle.name() + " is in no channel");
            }
            Optional<String> version = bundle.version();
            if (version.isEmpty()) {
                problems.add("bundle " + bundle.name() + " has no olm.package version");
            } else if (Semver.tryParse(version.get()).isEmpty()) {
                problems.add("bundle " + bundle.name() + " has version " + version.get() + ", which is not semver");
            }
            bundle.properties().stream().filter(p -> "olm.package".equals(p.type()) && p.value() != null)
                    .map(p -> p.value().path("packageName").asText(""))
                    .filter(name -> !name.equals(pkg.name())).findFirst()
                    .ifPresent(other -> problems.add("bundle " + bundle.name() + " says it belongs to package "
                            + other));
        }
        return problems;
    }

    private static void channelProblems(Channel channel, Set<String> bundleNames, List<String> problems) {
        String where = "channel " + channel.name();
        if (channel.entries().isEmpty()) {
            problems.add(where + " has no entries");
            return;
        }
        Set<String> seen = new HashSet<>();
        for (ChannelEntry entry : channel.entries()) {
            if (!seen.add(entry.name())) {
                problems.add(where + " lists " + entry.name() + " twice");
            }
            if (!bundleNames.contains(entry.name())) {
                problems.add(where + ": entry " + entry.name() + " names no bundle of the package");
            }
            if (entry.skipRange() != null) {
                try {
                    Semver.range(entry.skipRange());
                } catch (IllegalArgumentException e) {
                    problems.add(where + ": entry " + entry.name() + " has an invalid skipRange: " + e.getMessage());
                }
            }
        }
        ChannelGraph graph = new ChannelGraph(channel);
        List<String> heads = graph.heads();
        if (heads.isEmpty()) {
            problems.add(where + " has no head: every entry is replaced or skipped by another");
        } else if (heads.size() > 1) {
            problems.add(where + " has " + heads.size() + " heads " + heads + "; it must have exactly one");
        }
        graph.replacesCycle().ifPresent(cycle -> problems.add(where + " has a replaces cycle: "
                + String.join(" -> ", cycle)));
    }
}
