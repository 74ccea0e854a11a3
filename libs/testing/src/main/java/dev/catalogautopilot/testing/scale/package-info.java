/**
 * Catalogs at the size users run: {@link dev.catalogautopilot.testing.scale.ScaleCatalogGenerator} multiplies the
 * fixture packages deterministically into a package-manifest catalog of a given {@link
 * dev.catalogautopilot.testing.scale.ScaleSpec}, whose CSVs reference tiny images by digest, and
 * {@link dev.catalogautopilot.testing.scale.TinyImagePusher} pushes those images quickly.
 */
package dev.catalogautopilot.testing.scale;
