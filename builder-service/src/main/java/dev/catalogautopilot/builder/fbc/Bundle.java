package dev.catalogautopilot.builder.fbc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code olm.bundle}. Properties are sorted by type then value, related images by image then name, so equal
 * bundles render to equal bytes.
 *
 * @param image the bundle image; null for a bundle converted from the package-manifest format
 */
public record Bundle(String name, String packageName, String image, List<Property> properties,
        List<RelatedImage> relatedImages) {

    private static final Comparator<RelatedImage> IMAGE_ORDER = Comparator.comparing(RelatedImage::image)
            .thenComparing(r -> r.name() == null ? "" : r.name());

    public Bundle {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(packageName, "packageName");
        image = image == null || image.isBlank() ? null : image;
        properties = sortedDistinct(properties);
        relatedImages = relatedImages.stream().sorted(IMAGE_ORDER).distinct().toList();
    }

    /**
     * Properties by type, then by canonical value, each once. The canonical text is computed once per property,
     * not per comparison: an {@code olm.bundle.object} value is tens of kilobytes.
     */
    private static List<Property> sortedDistinct(List<Property> properties) {
        if (properties.size() < 2) {
            return List.copyOf(properties);
        }
        List<Map.Entry<String, Property>> keyed = new ArrayList<>(properties.size());
        for (Property property : properties) {
            // NUL sorts before any character a type holds, so this orders by type, then value.
            keyed.add(Map.entry(property.type() + '\u0000' + CanonicalJson.write(property.value()), property));
        }
        keyed.sort(Map.Entry.comparingByKey());
        List<Property> sorted = new ArrayList<>(keyed.size());
        String previous = null;
        for (Map.Entry<String, Property> entry : keyed) {
            if (!entry.getKey().equals(previous)) {
                sorted.add(entry.getValue());
                previous = entry.getKey();
            }
        }
        return List.copyOf(sorted);
    }

    /** The version of its {@code olm.package} property, if any. */
    public Optional<String> version() {
        return properties.stream().filter(p -> Property.PACKAGE.equals(p.type()) && p.value() != null)
                .map(p -> p.value().path("version").asText(null)).filter(Objects::nonNull).findFirst();
    }

    /** The version parsed as semver, if it is one. */
    public Optional<Semver> semver() {
        return version().flatMap(Semver::tryParse);
    }

    public List<Gvk> providedApis() {
        return gvks(Property.GVK);
    }

    public List<Gvk> requiredApis() {
        return gvks(Property.GVK_REQUIRED);
    }

    /** {@code olm.package.required} values: package name and version range (null for any). */
    public List<JsonNode> requiredPackages() {
        return properties.stream().filter(p -> Property.PACKAGE_REQUIRED.equals(p.type()) && p.value() != null)
                .map(Property::value).toList();
    }

    private List<Gvk> gvks(String type) {
        return properties.stream().filter(p -> type.equals(p.type()) && p.value() != null)
                .map(p -> new Gvk(p.value().path("group").asText(""), p.value().path("version").asText(""),
                        p.value().path("kind").asText("")))
                .toList();
    }
}
