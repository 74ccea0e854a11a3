package dev.catalogautopilot.builder.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The parsed content of one App Registry release: its {@code package.yaml}, CSVs and CRDs.
 *
 * @param flattened whether it came as an operator-courier {@code bundle.yaml}; CRDs then belong to the CSVs that
 *                  own them rather than to a version directory
 */
public record PackageManifests(JsonNode packageYaml, List<Manifest> csvs, List<Manifest> crds, boolean flattened) {
}
