package dev.catalogautopilot.testing.appregistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The packages and releases a fixture serves. Reads take a consistent snapshot; changes are serialised, and edited
 * package copies live in a private work directory, so the shared fixtures are never written.
 */
final class RegistryState {

    static final String FIRST_RELEASE = "1.0.0";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

    private final Map<String, ArchiveForm> forms;
    private final ArchiveForm defaultForm;
    private final Clock clock;
    private Path workDir;
    private final Object changes = new Object();
    private final Map<String, StoredPackage> packages = new TreeMap<>();
    private Instant lastTick = Instant.EPOCH;

    RegistryState(ArchiveForm defaultForm, Map<String, ArchiveForm> forms, Clock clock) {
        this.defaultForm = defaultForm;
        this.forms = Map.copyOf(forms);
        this.clock = clock;
    }

    /** Adds every package directory under {@code packagesDir}. */
    void load(Path packagesDir) {
        if (!Files.isDirectory(packagesDir)) {
            throw new IllegalArgumentException("Packages directory does not exist: " + packagesDir);
        }
        try (Stream<Path> dirs = Files.list(packagesDir)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                store(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + packagesDir, e);
        }
    }

    /** Builds every package's newest archive now, on every core, so no request waits for one to be built. */
    void prepareArchives() {
        packages().parallelStream().forEach(pkg -> pkg.latest().archive());
    }

    synchronized List<StoredPackage> packages() {
        return List.copyOf(packages.values());
    }

    synchronized Optional<StoredPackage> find(String name) {
        return Optional.ofNullable(packages.get(name));
    }

    StoredPackage require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("No package named " + name));
    }

    /** Adds a package from a package-manifest directory as release {@value #FIRST_RELEASE}. */
    PublishedRelease add(Path dir) {
        return store(dir).describe();
    }

    /** Adds a package without building its archive yet, so that loading many packages stays quick. */
    private StoredRelease store(Path dir) {
        PackageManifest manifest = PackageManifest.read(dir.toAbsolutePath().normalize());
        checkName(manifest.packageName());
        synchronized (changes) {
            if (find(manifest.packageName()).isPresent()) {
                throw new IllegalArgumentException("Package " + manifest.packageName() + " already exists (from "
                        + dir + ")");
            }
            StoredRelease release = new StoredRelease(FIRST_RELEASE, manifest, formOf(manifest.packageName()),
                    tick());
            synchronized (this) {
                packages.put(manifest.packageName(), StoredPackage.first(release));
            }
            return release;
        }
    }

    /** Publishes the next patch release from a copy of the newest release that {@code edit} changed. */
    PublishedRelease publish(String packageName, Consumer<Path> edit) {
        synchronized (changes) {
            StoredPackage current = require(packageName);
            String latest = current.latest().release();
            String next = SemanticVersion.parse(latest)
                    .map(SemanticVersion::nextPatch)
                    .map(SemanticVersion::toString)
                    .orElseThrow(() -> new IllegalStateException("Release is not semver: " + latest));
            Path copy = workDir().resolve(packageName + "-" + next);
            copyTree(current.latest().manifest().dir(), copy);
            if (edit == null) {
                HeadCsvAnnotator.annotate(copy, HeadCsvAnnotator.RELEASE_ANNOTATION, next);
            } else {
                edit.accept(copy);
            }
            PackageManifest manifest = PackageManifest.read(copy);
            if (!manifest.packageName().equals(packageName)) {
                throw new IllegalStateException("The edit renamed package " + packageName + " to "
                        + manifest.packageName());
            }
            StoredRelease release = new StoredRelease(next, manifest, formOf(packageName), tick());
            PublishedRelease published = release.describe();
            synchronized (this) {
                packages.put(packageName, current.with(release));
            }
            return published;
        }
    }

    /** Publishes the next patch release as raw archive bytes, for tests of hostile or broken archives. */
    PublishedRelease publishArchive(String packageName, byte[] archive) {
        synchronized (changes) {
            StoredPackage current = require(packageName);
            String next = SemanticVersion.parse(current.latest().release())
                    .map(SemanticVersion::nextPatch)
                    .map(SemanticVersion::toString)
                    .orElseThrow(() -> new IllegalStateException("Release is not semver: " + current.latest().release()));
            StoredRelease release = new StoredRelease(next, current.latest().manifest(), archive, tick());
            PublishedRelease published = release.describe();
            synchronized (this) {
                packages.put(packageName, current.with(release));
            }
            return published;
        }
    }

    void remove(String packageName) {
        synchronized (changes) {
            synchronized (this) {
                if (packages.remove(packageName) == null) {
                    throw new IllegalArgumentException("No package named " + packageName);
                }
            }
            tick();
        }
    }

    /** Deletes the work directory with every edited copy. */
    void delete() {
        synchronized (changes) {
            if (workDir != null) {
                deleteTree(workDir);
                workDir = null;
            }
        }
    }

    /** Created on the first publish, so a fixture that never publishes leaves nothing behind. */
    private Path workDir() {
        if (workDir == null) {
            try {
                workDir = Files.createTempDirectory("fixture-app-registry-");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create a work directory", e);
            }
        }
        return workDir;
    }

    private ArchiveForm formOf(String packageName) {
        return forms.getOrDefault(packageName, defaultForm);
    }

    /** A timestamp later than every earlier one, so created_at and updated_at always advance. */
    private Instant tick() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        lastTick = now.isAfter(lastTick) ? now : lastTick.plusMillis(1);
        return lastTick;
    }

    private static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Package name cannot be served by CNR: '" + name + "'");
        }
    }

    private static void copyTree(Path source, Path target) {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : paths.sorted().toList()) {
                Path destination = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                } else if (Files.isRegularFile(path)) {
                    // Copy bytes only: the shared fixtures are read-only, and the copy must be editable.
                    try (InputStream in = Files.newInputStream(path)) {
                        Files.copy(in, destination);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + source + " to " + target, e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + root, e);
        }
    }
}
