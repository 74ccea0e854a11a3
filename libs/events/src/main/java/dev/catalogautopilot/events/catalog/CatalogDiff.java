package dev.catalogautopilot.events.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Objects;

/**
 * What changed between the previous build of a catalog and this one. On a first build, everything is added.
 *
 * @param previousImage        the previous build's image by digest, null on a first build
 * @param bundlesAdded         bundle names, sorted
 * @param bundlesRemoved       bundle names, sorted
 * @param channelHeadsChanged  sorted by package and channel
 * @param relatedImagesAdded   image references, sorted
 * @param relatedImagesRemoved image references, sorted
 */
public record CatalogDiff(
        String previousImage,
        List<String> bundlesAdded,
        List<String> bundlesRemoved,
        List<ChannelHeadChange> channelHeadsChanged,
        List<String> relatedImagesAdded,
        List<String> relatedImagesRemoved) {

    public CatalogDiff {
        bundlesAdded = List.copyOf(Objects.requireNonNullElse(bundlesAdded, List.of()));
        bundlesRemoved = List.copyOf(Objects.requireNonNullElse(bundlesRemoved, List.of()));
        channelHeadsChanged = List.copyOf(Objects.requireNonNullElse(channelHeadsChanged, List.of()));
        relatedImagesAdded = List.copyOf(Objects.requireNonNullElse(relatedImagesAdded, List.of()));
        relatedImagesRemoved = List.copyOf(Objects.requireNonNullElse(relatedImagesRemoved, List.of()));
    }

    /** True when nothing a cluster could see changed. */
    @JsonIgnore
    public boolean isEmpty() {
        return bundlesAdded.isEmpty() && bundlesRemoved.isEmpty() && channelHeadsChanged.isEmpty()
                && relatedImagesAdded.isEmpty() && relatedImagesRemoved.isEmpty();
    }
}
