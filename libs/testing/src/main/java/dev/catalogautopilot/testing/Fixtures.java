package dev.catalogautopilot.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Locates the shared, read-only operator fixtures (never edit them; copy a package to make a variant). */
public final class Fixtures {

    /** System property the parent pom's surefire configuration sets. */
    public static final String PROPERTY = "catalogautopilot.fixtures";
    /** Environment variable read when the system property is absent. */
    public static final String ENVIRONMENT = "CATALOG_AUTOPILOT_FIXTURES";

    private static volatile Path root;

    private Fixtures() {
    }

    /**
     * The fixtures directory: system property {@value #PROPERTY}, else environment variable {@value #ENVIRONMENT},
     * else the first {@code shared/fixtures} found walking up from the working directory.
     */
    public static Path root() {
        Path found = root;
        if (found == null) {
            synchronized (Fixtures.class) {
                if (root == null) {
                    root = locate(System.getProperty(PROPERTY), System.getenv(ENVIRONMENT),
                            Path.of(System.getProperty("user.dir")));
                }
                found = root;
            }
        }
        return found;
    }

    /** Package-manifest layout, one directory per package, as App Registry served it. */
    public static Path operators() {
        return child("operators");
    }

    /** Bundle layout, one directory per package. */
    public static Path bundles() {
        return child("bundles");
    }

    /** File-based catalogs. */
    public static Path fbc() {
        return child("fbc");
    }

    /** Packages that opm rejects. */
    public static Path invalid() {
        return child("invalid");
    }

    static Path locate(String property, String environment, Path workingDirectory) {
        if (isSet(property)) {
            return explicit(property, "system property " + PROPERTY);
        }
        if (isSet(environment)) {
            return explicit(environment, "environment variable " + ENVIRONMENT);
        }
        List<Path> tried = new ArrayList<>();
        for (Path dir = workingDirectory.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            // Equivalent to looking for ../shared/fixtures from every directory below this one.
            Path candidate = dir.resolve("shared").resolve("fixtures");
            tried.add(candidate);
            if (Files.isDirectory(candidate.resolve("operators"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("Fixtures not found: set -D" + PROPERTY + "=<dir> or " + ENVIRONMENT
                + "=<dir>, or run from inside the project checkout. Looked in " + tried);
    }

    private static Path explicit(String value, String origin) {
        Path dir = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("Fixtures not found: " + origin + " points at " + dir
                    + ", which is not a directory");
        }
        return dir;
    }

    private static Path child(String name) {
        Path dir = root().resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("Fixtures directory " + root() + " has no '" + name + "' directory");
        }
        return dir;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
