package dev.catalogautopilot.testing.scale;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A generated catalog: package-manifest directories under {@code packagesDir}, one per package, and every image
 * their CSVs reference, in generation order. The CSVs reference the images as {@code imageHost/repository@digest}.
 */
public record ScaleCatalog(ScaleSpec spec, String imageHost, Path packagesDir, List<String> packageNames,
        int bundles, List<ScaleImage> images) {

    public ScaleCatalog {
        packageNames = List.copyOf(packageNames);
        images = List.copyOf(images);
    }

    /** The distinct repositories, sorted. */
    public Set<String> repositories() {
        Set<String> repositories = new TreeSet<>();
        images.forEach(image -> repositories.add(image.repository()));
        return repositories;
    }

    /** Every referenced image as the CSVs spell it, sorted. */
    public Set<String> references() {
        Set<String> references = new TreeSet<>();
        images.forEach(image -> references.add(image.pinned(imageHost).toString()));
        return references;
    }
}
