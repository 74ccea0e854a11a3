package dev.catalogautopilot.builder.fbc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code olm.channel}: its entries sorted by bundle name.
 *
 * @param properties the channel's optional {@code properties}, kept verbatim; null when absent
 */
public record Channel(String name, String packageName, List<ChannelEntry> entries, JsonNode properties) {

    public Channel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(packageName, "packageName");
        entries = entries.stream().sorted(Comparator.comparing(ChannelEntry::name)).toList();
    }

    public Optional<ChannelEntry> entry(String bundle) {
        return entries.stream().filter(e -> e.name().equals(bundle)).findFirst();
    }

    /** This channel holding only {@code kept} entries. */
    public Channel withEntries(List<ChannelEntry> kept) {
        return new Channel(name, packageName, kept, properties);
    }
}
