package dev.catalogautopilot.builder.fbc;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * One entry of an {@code olm.channel}: a bundle and the upgrade edges into it.
 *
 * @param name      bundle name
 * @param replaces  the bundle this one replaces, or null
 * @param skips     bundles this one skips, sorted; empty when none
 * @param skipRange semver range of versions this one skips, or null
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ChannelEntry(String name, String replaces, List<String> skips, String skipRange) {

    public ChannelEntry {
        Objects.requireNonNull(name, "name");
        skips = skips == null ? List.of() : skips.stream().sorted().distinct().toList();
        replaces = blankToNull(replaces);
        skipRange = blankToNull(skipRange);
    }

    /** An entry with no upgrade edges. */
    public static ChannelEntry of(String name) {
        return new ChannelEntry(name, null, List.of(), null);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
