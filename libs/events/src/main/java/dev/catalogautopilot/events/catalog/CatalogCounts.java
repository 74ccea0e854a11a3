package dev.catalogautopilot.events.catalog;

/** How much a built catalog holds. */
public record CatalogCounts(int packages, int channels, int bundles) {
}
