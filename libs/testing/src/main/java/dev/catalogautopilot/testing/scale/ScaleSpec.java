package dev.catalogautopilot.testing.scale;

import java.util.Locale;

/**
 * The size of a generated catalog: how many packages, bundles (CSVs), distinct referenced images and image
 * repositories. Bundles are spread evenly over packages, images evenly over bundles, repositories evenly over
 * packages (each repository belongs to one package, as an operator's images do).
 */
public record ScaleSpec(int packages, int bundles, int images, int repositories) {

    /** The size issue 12 sets as the target: a real community or Red Hat index. */
    public static final ScaleSpec TARGET = new ScaleSpec(300, 10_000, 30_000, 3_000);
    /** A tenth of the target in bundles and images, with the target's shape per package; the suite runs it. */
    public static final ScaleSpec MODERATE = new ScaleSpec(30, 1_000, 3_000, 300);

    public ScaleSpec {
        if (packages < 1) {
            throw new IllegalArgumentException("a catalog needs at least one package, not " + packages);
        }
        if (bundles < packages) {
            throw new IllegalArgumentException("every package needs a bundle: " + bundles + " bundles for "
                    + packages + " packages");
        }
        if (repositories < packages) {
            throw new IllegalArgumentException("every package needs a repository: " + repositories
                    + " repositories for " + packages + " packages");
        }
        if (images < bundles || images < repositories) {
            throw new IllegalArgumentException("every bundle and every repository needs an image: " + images
                    + " images for " + bundles + " bundles and " + repositories + " repositories");
        }
    }

    /** The target's shape per package (about 33 bundles, 100 images, 10 repositories) for {@code packages}. */
    public static ScaleSpec ofPackages(int packages) {
        return new ScaleSpec(packages, Math.max(packages, packages * TARGET.bundles / TARGET.packages),
                packages * TARGET.images / TARGET.packages, packages * TARGET.repositories / TARGET.packages);
    }

    /**
     * Parses {@code target}, {@code moderate}, a package count ({@code 120}, see {@link #ofPackages}) or
     * {@code packages,bundles,images,repositories} ({@code 30,1000,3000,300}).
     */
    public static ScaleSpec parse(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.equals("target")) {
            return TARGET;
        }
        if (value.equals("moderate")) {
            return MODERATE;
        }
        String[] parts = value.split(",");
        try {
            if (parts.length == 1) {
                return ofPackages(Integer.parseInt(parts[0].strip()));
            }
            if (parts.length == 4) {
                return new ScaleSpec(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()),
                        Integer.parseInt(parts[2].strip()), Integer.parseInt(parts[3].strip()));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("not a catalog size: '" + text + "'; use target, moderate, a package"
                + " count, or packages,bundles,images,repositories");
    }

    /** How many of {@code total} items slot {@code index} of {@code slots} gets: even shares, the first ones one more. */
    static int share(int total, int slots, int index) {
        return total / slots + (index < total % slots ? 1 : 0);
    }

    /** The first item of slot {@code index} when {@code total} items are shared as {@link #share} does. */
    static int start(int total, int slots, int index) {
        return index * (total / slots) + Math.min(index, total % slots);
    }

    @Override
    public String toString() {
        return packages + " packages, " + bundles + " bundles, " + images + " images in " + repositories
                + " repositories";
    }
}
