package dev.catalogautopilot.events.catalog;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Objects;

/**
 * Where a catalog's content comes from, written with a {@code kind} of {@code APP_REGISTRY} or {@code INDEX_IMAGE}.
 * Never holds credentials.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = UpstreamSource.AppRegistry.class, name = "APP_REGISTRY"),
        @JsonSubTypes.Type(value = UpstreamSource.IndexImage.class, name = "INDEX_IMAGE")
})
public sealed interface UpstreamSource {

    /**
     * A namespace of the legacy Quay App Registry (CNR API).
     *
     * @param baseUrl   API base, for example {@code https://quay.io/cnr}
     * @param namespace for example {@code redhat-operators}
     */
    record AppRegistry(String baseUrl, String namespace) implements UpstreamSource {
        public AppRegistry {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(namespace, "namespace");
        }
    }

    /**
     * An index image holding a file-based catalog, watched by tag.
     *
     * @param image reference as configured, usually by tag, e.g.
     *              {@code registry.redhat.io/redhat/redhat-operator-index:v4.16}
     */
    record IndexImage(String image) implements UpstreamSource {
        public IndexImage {
            Objects.requireNonNull(image, "image");
        }
    }
}
