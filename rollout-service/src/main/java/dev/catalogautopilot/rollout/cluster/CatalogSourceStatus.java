package dev.catalogautopilot.rollout.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * What a cluster says about a CatalogSource.
 *
 * @param image           {@code spec.image}
 * @param state           {@code status.connectionState.lastObservedState}, null when OLM reported nothing
 * @param lastConnect     {@code status.connectionState.lastConnect}, null when absent or unreadable
 * @param resourceVersion {@code metadata.resourceVersion}
 */
public record CatalogSourceStatus(String image, String state, Instant lastConnect, String resourceVersion) {

    public static CatalogSourceStatus of(GenericKubernetesResource catalogSource) {
        Map<String, Object> fields = catalogSource.getAdditionalProperties();
        String image = text(fields, "spec", "image");
        String state = text(fields, "status", "connectionState", "lastObservedState");
        String lastConnect = text(fields, "status", "connectionState", "lastConnect");
        return new CatalogSourceStatus(image, state, parse(lastConnect),
                catalogSource.getMetadata() == null ? null : catalogSource.getMetadata().getResourceVersion());
    }

    private static Instant parse(String time) {
        if (time == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(time).toInstant();
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    private static String text(Map<String, Object> fields, String... path) {
        Object node = fields;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node instanceof String s ? s : null;
    }
}
