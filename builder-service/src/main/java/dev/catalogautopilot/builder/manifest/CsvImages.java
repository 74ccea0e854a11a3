package dev.catalogautopilot.builder.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.catalogautopilot.builder.fbc.RelatedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Every image a ClusterServiceVersion names, as the related images of a bundle that has no bundle image:
 * {@code spec.relatedImages}, the containers and init containers of its deployments, and the
 * {@code containerImage} annotation.
 */
final class CsvImages {

    private CsvImages() {
    }

    static List<RelatedImage> of(JsonNode csv) {
        List<RelatedImage> images = new ArrayList<>();
        for (JsonNode related : csv.path("spec").path("relatedImages")) {
            add(images, related.path("name").asText(null), related.path("image"));
        }
        for (JsonNode deployment : csv.path("spec").path("install").path("spec").path("deployments")) {
            JsonNode podSpec = deployment.path("spec").path("template").path("spec");
            for (String list : List.of("containers", "initContainers")) {
                for (JsonNode container : podSpec.path(list)) {
                    add(images, container.path("name").asText(null), container.path("image"));
                }
            }
        }
        add(images, null, csv.path("metadata").path("annotations").path("containerImage"));
        return images;
    }

    private static void add(List<RelatedImage> images, String name, JsonNode image) {
        if (image.isTextual() && !image.asText().isBlank()) {
            images.add(new RelatedImage(name, image.asText()));
        }
    }
}
