package dev.catalogautopilot.builder.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.builder.diff.CatalogSummary;
import dev.catalogautopilot.builder.fbc.Catalog;
import dev.catalogautopilot.builder.fbc.CatalogPackage;
import dev.catalogautopilot.builder.fbc.FbcWriter;
import dev.catalogautopilot.builder.filter.CatalogFilter;
import dev.catalogautopilot.builder.filter.FilterSpec;
import dev.catalogautopilot.builder.validate.CatalogValidator;
import dev.catalogautopilot.events.catalog.CatalogCounts;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Assembles a catalog's FBC one package at a time, so a build never holds the whole catalog: each package is
 * validated as it arrives and staged on disk as JSON, keeping only its filter {@link CatalogFilter#skeleton
 * skeleton} (channels, versions, dependency properties) in memory. {@link #render} filters the skeletons (the
 * filter's dependency rules need every package), then reads back each kept package, restricts it, and streams its
 * {@code <package>/catalog.json} to the configs directory while collecting the summary. The files are exactly what
 * {@link FbcWriter#render(Catalog)} gives for the validated, filtered catalog.
 */
final class CatalogAssembly {

    /** What rendering produced, besides the files. */
    record Rendered(Map<String, String> rejected, CatalogSummary summary, CatalogCounts counts) {
    }

    private final Path staged;
    private final ObjectMapper json;
    private final FbcWriter writer;
    private final Runnable progress;
    private final Map<String, CatalogPackage> skeletons = new TreeMap<>();
    private final Map<String, Path> stagedFiles = new TreeMap<>();
    private final Map<String, String> invalid = new TreeMap<>();

    /** Stages under {@code <workDir>/staged}; {@code progress} is told per package. */
    CatalogAssembly(Path workDir, ObjectMapper json, FbcWriter writer, Runnable progress) throws IOException {
        this.staged = Files.createDirectories(workDir.resolve("staged"));
        this.json = json;
        this.writer = writer;
        this.progress = progress;
    }

    /** Adds a package given as the JSON of a {@link CatalogPackage} (as the package cache holds it). */
    void add(String name, String content) throws IOException {
        add(read(name, content), content);
    }

    /** Adds a parsed package. */
    void add(CatalogPackage pkg) throws IOException {
        add(pkg, json.writeValueAsString(pkg));
    }

    private void add(CatalogPackage pkg, String content) throws IOException {
        String name = pkg.name();
        if (stagedFiles.containsKey(name) || invalid.containsKey(name)) {
            throw new IllegalArgumentException("package " + name + " appears twice");
        }
        List<String> problems = CatalogValidator.problems(pkg);
        if (!problems.isEmpty()) {
            invalid.put(name, "invalid: " + String.join("; ", problems));
            return;
        }
        // Numbered, not named: staging does not depend on what a package name holds.
        Path file = staged.resolve(stagedFiles.size() + ".json");
        Files.writeString(file, content);
        stagedFiles.put(name, file);
        skeletons.put(name, CatalogFilter.skeleton(pkg));
        progress.run();
    }

    /** Packages that failed validation, with their problems. */
    Map<String, String> invalid() {
        return invalid;
    }

    /** How many valid packages are staged. */
    int valid() {
        return skeletons.size();
    }

    /** Filters and writes {@code <configs>/<package>/catalog.json} for every kept package. */
    Rendered render(FilterSpec spec, Path configs) throws IOException {
        CatalogFilter.Result filtered = CatalogFilter.apply(new Catalog(new ArrayList<>(skeletons.values())), spec);
        skeletons.clear();
        Files.createDirectories(configs);
        CatalogSummary.Builder summary = new CatalogSummary.Builder();
        int packages = 0;
        int channels = 0;
        int bundles = 0;
        for (CatalogPackage kept : filtered.catalog().packages()) {
            Path file = stagedFiles.get(kept.name());
            CatalogPackage pkg = CatalogFilter.restrict(read(kept.name(), Files.readString(file)), kept);
            Path target = configs.resolve(pkg.name()).resolve(FbcWriter.FILE);
            Files.createDirectories(target.getParent());
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 64 * 1024)) {
                writer.write(pkg, out);
            }
            summary.add(pkg);
            packages++;
            channels += pkg.channels().size();
            bundles += pkg.bundles().size();
            progress.run();
        }
        for (Path file : stagedFiles.values()) {
            Files.deleteIfExists(file);
        }
        return new Rendered(filtered.rejected(), summary.build(), new CatalogCounts(packages, channels, bundles));
    }

    private CatalogPackage read(String name, String content) {
        try {
            return json.readValue(content, CatalogPackage.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cached package " + name + " is unreadable", e);
        }
    }
}
