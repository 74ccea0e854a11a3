package dev.catalogautopilot.builder.fbc;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A file-based catalog: its packages sorted by name. */
public record Catalog(List<CatalogPackage> packages) {

    public Catalog {
        packages = packages.stream().sorted(Comparator.comparing(CatalogPackage::name)).toList();
        for (int i = 1; i < packages.size(); i++) {
            if (packages.get(i).name().equals(packages.get(i - 1).name())) {
                throw new IllegalArgumentException("package " + packages.get(i).name() + " appears twice");
            }
        }
    }

    public Optional<CatalogPackage> find(String name) {
        return packages.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public int channelCount() {
        return packages.stream().mapToInt(p -> p.channels().size()).sum();
    }

    public int bundleCount() {
        return packages.stream().mapToInt(p -> p.bundles().size()).sum();
    }
}
