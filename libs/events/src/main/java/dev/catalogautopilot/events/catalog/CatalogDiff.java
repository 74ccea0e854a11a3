package dev.catalogautopilot.events.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.catalogautopilot.events.ContentRef;
import java.util.List;
import java.util.Objects;

/**
 * What changed between the previous build of a catalog and this one. On a first build, everything is added. In an
 * event the lists are a preview of at most {@link #PREVIEW} entries each; {@code totals} counts them all and
 * {@code full} names the whole diff.
 *
 * @param previousImage        the previous build's image by digest, null on a first build
 * @param bundlesAdded         bundle names, sorted
 * @param bundlesRemoved       bundle names, sorted
 * @param channelHeadsChanged  sorted by package and channel
 * @param relatedImagesAdded   image references, sorted
 * @param relatedImagesRemoved image references, sorted
 * @param totals               the length of each whole list
 * @param full                 the whole diff as JSON ({@code ContentTypes#CATALOG_DIFF}); null in the whole diff itself
 */
public record CatalogDiff(
        String previousImage,
        List<String> bundlesAdded,
        List<String> bundlesRemoved,
        List<ChannelHeadChange> channelHeadsChanged,
        List<String> relatedImagesAdded,
        List<String> relatedImagesRemoved,
        Totals totals,
        ContentRef full) {

    /** Most entries of each list an event carries. */
    public static final int PREVIEW = 50;

    /**
     * How long each whole list is.
     *
     * @param bundlesAdded         bundles added
     * @param bundlesRemoved       bundles removed
     * @param channelHeadsChanged  channel heads changed
     * @param relatedImagesAdded   related images added
     * @param relatedImagesRemoved related images removed
     */
    public record Totals(int bundlesAdded, int bundlesRemoved, int channelHeadsChanged, int relatedImagesAdded,
                         int relatedImagesRemoved) {
    }

    public CatalogDiff {
        bundlesAdded = List.copyOf(Objects.requireNonNullElse(bundlesAdded, List.of()));
        bundlesRemoved = List.copyOf(Objects.requireNonNullElse(bundlesRemoved, List.of()));
        channelHeadsChanged = List.copyOf(Objects.requireNonNullElse(channelHeadsChanged, List.of()));
        relatedImagesAdded = List.copyOf(Objects.requireNonNullElse(relatedImagesAdded, List.of()));
        relatedImagesRemoved = List.copyOf(Objects.requireNonNullElse(relatedImagesRemoved, List.of()));
        totals = Objects.requireNonNullElse(totals, new Totals(bundlesAdded.size(), bundlesRemoved.size(),
                channelHeadsChanged.size(), relatedImagesAdded.size(), relatedImagesRemoved.size()));
    }

    /** A whole diff: every entry, counted. */
    public CatalogDiff(String previousImage, List<String> bundlesAdded, List<String> bundlesRemoved,
                       List<ChannelHeadChange> channelHeadsChanged, List<String> relatedImagesAdded,
                       List<String> relatedImagesRemoved) {
        this(previousImage, bundlesAdded, bundlesRemoved, channelHeadsChanged, relatedImagesAdded,
                relatedImagesRemoved, null, null);
    }

    /** This diff as an event carries it: each list cut to {@link #PREVIEW} entries, the whole named by {@code full}. */
    public CatalogDiff preview(ContentRef full) {
        return new CatalogDiff(previousImage, head(bundlesAdded), head(bundlesRemoved), head(channelHeadsChanged),
                head(relatedImagesAdded), head(relatedImagesRemoved), totals, full);
    }

    /** Whether a list of this diff was cut short. */
    @JsonIgnore
    public boolean truncated() {
        return totals.bundlesAdded() > bundlesAdded.size() || totals.bundlesRemoved() > bundlesRemoved.size()
                || totals.channelHeadsChanged() > channelHeadsChanged.size()
                || totals.relatedImagesAdded() > relatedImagesAdded.size()
                || totals.relatedImagesRemoved() > relatedImagesRemoved.size();
    }

    /** True when nothing a cluster could see changed. */
    @JsonIgnore
    public boolean isEmpty() {
        return totals.bundlesAdded() == 0 && totals.bundlesRemoved() == 0 && totals.channelHeadsChanged() == 0
                && totals.relatedImagesAdded() == 0 && totals.relatedImagesRemoved() == 0;
    }

    private static <T> List<T> head(List<T> list) {
        return list.size() <= PREVIEW ? list : list.subList(0, PREVIEW);
    }
}
