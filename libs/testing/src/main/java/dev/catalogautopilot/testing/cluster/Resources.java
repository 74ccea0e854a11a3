package dev.catalogautopilot.testing.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;

/** Reads fields of untyped resources. */
final class Resources {

    private Resources() {
    }

    static Object field(GenericKubernetesResource resource, String... path) {
        Object node = resource.getAdditionalProperties();
        for (String key : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node;
    }

    static String text(GenericKubernetesResource resource, String... path) {
        return field(resource, path) instanceof String s ? s : null;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(GenericKubernetesResource resource, String... path) {
        return field(resource, path) instanceof List<?> list
                ? list.stream().filter(Map.class::isInstance).map(e -> (Map<String, Object>) e).toList()
                : List.of();
    }
}
