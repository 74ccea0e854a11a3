package dev.catalogautopilot.builder.diff;

import dev.catalogautopilot.events.catalog.CatalogDiff;
import dev.catalogautopilot.events.catalog.ChannelHeadChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** The change between two builds of a catalog, in the terms a human reviews before a rollout. */
public final class CatalogDiffer {

    private CatalogDiffer() {
    }

    /**
     * @param previous      the last successful build's summary, null on a first build (everything is added)
     * @param previousImage that build's image by digest, null on a first build
     */
    public static CatalogDiff diff(CatalogSummary previous, String previousImage, CatalogSummary current) {
        CatalogSummary before = previous == null
                ? new CatalogSummary(new TreeSet<>(), new java.util.TreeMap<>(), new TreeSet<>()) : previous;
        List<ChannelHeadChange> heads = new ArrayList<>();
        SortedSet<String> channels = new TreeSet<>(before.channelHeads().keySet());
        channels.addAll(current.channelHeads().keySet());
        for (String key : channels) {
            String from = before.channelHeads().get(key);
            String to = current.channelHeads().get(key);
            if (!Objects.equals(from, to)) {
                int slash = key.indexOf('/');
                heads.add(new ChannelHeadChange(key.substring(0, slash), key.substring(slash + 1), from, to));
            }
        }
        return new CatalogDiff(previousImage,
                bundleNames(minus(current.bundles(), before.bundles())),
                bundleNames(minus(before.bundles(), current.bundles())),
                heads,
                List.copyOf(minus(current.images(), before.images())),
                List.copyOf(minus(before.images(), current.images())));
    }

    private static SortedSet<String> minus(Set<String> a, Set<String> b) {
        SortedSet<String> result = new TreeSet<>(a);
        result.removeAll(b);
        return result;
    }

    /** Bundle names without their package prefix, sorted. */
    private static List<String> bundleNames(SortedSet<String> qualified) {
        return qualified.stream().map(q -> q.substring(q.indexOf('/') + 1)).sorted().toList();
    }
}
