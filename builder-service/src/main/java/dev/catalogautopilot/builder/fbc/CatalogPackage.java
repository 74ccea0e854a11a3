package dev.catalogautopilot.builder.fbc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One package of a file-based catalog: its {@code olm.package} fields, channels and bundles (each sorted by name),
 * and any other documents about it (such as {@code olm.deprecations}), kept verbatim.
 *
 * @param description optional; null when absent
 * @param icon        optional {@code {base64data, mediatype}}; null when absent
 * @param properties  optional package {@code properties}; null when absent
 */
public record CatalogPackage(String name, String defaultChannel, String description, JsonNode icon,
        JsonNode properties, List<Channel> channels, List<Bundle> bundles, List<JsonNode> others) {

    public CatalogPackage {
        Objects.requireNonNull(name, "name");
        channels = channels.stream().sorted(Comparator.comparing(Channel::name)).toList();
        bundles = bundles.stream().sorted(Comparator.comparing(Bundle::name)).toList();
        others = others == null ? List.of()
                : others.stream().map(CanonicalJson::sorted).sorted(Comparator.comparing(CanonicalJson::write)).toList();
    }

    public Optional<Channel> channel(String channelName) {
        return channels.stream().filter(c -> c.name().equals(channelName)).findFirst();
    }

    public Optional<Bundle> bundle(String bundleName) {
        return bundles.stream().filter(b -> b.name().equals(bundleName)).findFirst();
    }

    /** This package with other channels and bundles. */
    public CatalogPackage with(List<Channel> newChannels, List<Bundle> newBundles) {
        return new CatalogPackage(name, defaultChannel, description, icon, properties, newChannels, newBundles, others);
    }
}
