package dev.catalogautopilot.builder.diff;

import dev.catalogautopilot.builder.fbc.Bundle;
import dev.catalogautopilot.builder.fbc.Catalog;
import dev.catalogautopilot.builder.fbc.CatalogPackage;
import dev.catalogautopilot.builder.fbc.Channel;
import dev.catalogautopilot.builder.fbc.ChannelGraph;
import dev.catalogautopilot.builder.fbc.RelatedImage;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a cluster can see of a built catalog, kept per build to diff the next one against.
 *
 * @param bundles       {@code package/bundle} names
 * @param channelHeads  {@code package/channel} to its head bundle
 * @param images        every image the catalog references: bundle images and related images
 */
public record CatalogSummary(SortedSet<String> bundles, SortedMap<String, String> channelHeads,
        SortedSet<String> images) {

    public CatalogSummary {
        bundles = new TreeSet<>(bundles);
        channelHeads = new TreeMap<>(channelHeads);
        images = new TreeSet<>(images);
    }

    public static CatalogSummary of(Catalog catalog) {
        Builder builder = new Builder();
        catalog.packages().forEach(builder::add);
        return builder.build();
    }

    /** Collects a summary one package at a time, so a build need not hold its whole catalog. */
    public static final class Builder {
        private final SortedSet<String> bundles = new TreeSet<>();
        private final SortedMap<String, String> heads = new TreeMap<>();
        private final SortedSet<String> images = new TreeSet<>();

        public Builder add(CatalogPackage pkg) {
            for (Bundle bundle : pkg.bundles()) {
                bundles.add(pkg.name() + "/" + bundle.name());
                if (bundle.image() != null) {
                    images.add(bundle.image());
                }
                bundle.relatedImages().stream().map(RelatedImage::image).forEach(images::add);
            }
            for (Channel channel : pkg.channels()) {
                new ChannelGraph(channel).head().ifPresent(head -> heads.put(pkg.name() + "/" + channel.name(), head));
            }
            return this;
        }

        /** Adds the summary of a package (or of any part of a catalog): the same as adding the package itself. */
        public Builder add(CatalogSummary part) {
            bundles.addAll(part.bundles());
            heads.putAll(part.channelHeads());
            images.addAll(part.images());
            return this;
        }

        public CatalogSummary build() {
            return new CatalogSummary(bundles, heads, images);
        }
    }

    /** Channel heads keyed by package then channel. */
    Map<String, String> heads() {
        return channelHeads;
    }
}
