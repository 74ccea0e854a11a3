package dev.catalogautopilot.builder.manifest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One Kubernetes manifest of a package-manifest archive.
 *
 * @param directory the archive directory holding it (a version directory in the nested form; empty when flattened)
 * @param file      the file it came from, for error messages
 * @param body      the manifest
 */
public record Manifest(String directory, String file, JsonNode body) {

    public String name() {
        return body.path("metadata").path("name").asText("");
    }
}
