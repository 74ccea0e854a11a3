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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Assembles a catalog's FBC one package at a time, so a build never holds the whole catalog. Each package is
 * validated as it arrives and rendered whole into {@link RenderedPackages}; only its {@link PackageStage} (filter
 * skeleton, summary, file digest) stays in memory. A package the cache already staged is added from its stage
 * alone, without being parsed. {@link #render} filters the skeletons (the filter's dependency rules need every
 * package); a package the filter keeps whole is its rendered file as is, one it restricts is read back, restricted
 * and rendered again. The files are exactly what {@link FbcWriter#render(Catalog)} gives for the validated,
 * filtered catalog.
 */
final class CatalogAssembly {

    /**
     * What rendering produced.
     *
     * @param files  package name to its {@code catalog.json} (in {@link RenderedPackages}), sorted by name
     * @param stored the digest of every file this build rendered or reused, kept ones or not: what the store keeps
     */
    record Rendered(SortedMap<String, Path> files, Set<String> stored, Map<String, String> rejected,
            CatalogSummary summary, CatalogCounts counts) {
    }

    private final RenderedPackages store;
    private final FilterSpec spec;
    private final Path staged;
    private final ObjectMapper json;
    private final FbcWriter writer;
    private final Runnable progress;
    private final Map<String, PackageStage> stages = new TreeMap<>();
    private final Map<String, Path> stagedContent = new TreeMap<>();
    private final Map<String, String> invalid = new TreeMap<>();

    /**
     * @param store    where packages are rendered
     * @param spec     the filter {@link #render} applies; when it may keep part of a package, the content of each
     *                 package added whole is staged under {@code <workDir>/staged} to restrict it later
     * @param progress told per package
     */
    CatalogAssembly(Path workDir, RenderedPackages store, FilterSpec spec, ObjectMapper json, FbcWriter writer,
            Runnable progress) throws IOException {
        this.store = store;
        this.spec = spec;
        this.staged = Files.createDirectories(workDir.resolve("staged"));
        this.json = json;
        this.writer = writer;
        this.progress = progress;
    }

    /** Adds a package given as the JSON of a {@link CatalogPackage} (as the package cache holds it). */
    PackageStage add(String name, String content) throws IOException {
        return add(read(name, content), content);
    }

    /** Adds a parsed package; returns its stage, for the package cache. */
    PackageStage add(CatalogPackage pkg) throws IOException {
        return add(pkg, spec.keepsWholePackages() ? null : json.writeValueAsString(pkg));
    }

    /** Adds a parsed package whose cache JSON is {@code content}; returns its stage. */
    PackageStage add(CatalogPackage pkg, String content) throws IOException {
        String name = pkg.name();
        checkNew(name);
        List<String> problems = CatalogValidator.problems(pkg);
        PackageStage stage = problems.isEmpty()
                ? new PackageStage(PackageStage.FORMAT, List.of(), CatalogFilter.skeleton(pkg),
                        new CatalogSummary.Builder().add(pkg).build(), store.write(pkg, writer))
                : PackageStage.invalid(problems);
        if (stage.problems().isEmpty() && content != null && !spec.keepsWholePackages()) {
            // Numbered, not named: staging does not depend on what a package name holds.
            Path file = staged.resolve(stagedContent.size() + ".json");
            Files.writeString(file, content);
            stagedContent.put(name, file);
        }
        accept(name, stage);
        return stage;
    }

    /**
     * Adds a package from the stage the cache kept for it. Returns false, adding nothing, when the stage cannot be
     * used (another format, or its rendered file is gone): the caller then adds the package's content.
     */
    boolean addStaged(String name, PackageStage stage) {
        if (stage == null || !stage.current() || (stage.problems().isEmpty() && !store.has(stage.rendered()))) {
            return false;
        }
        checkNew(name);
        accept(name, stage);
        return true;
    }

    private void checkNew(String name) {
        if (stages.containsKey(name) || invalid.containsKey(name)) {
            throw new IllegalArgumentException("package " + name + " appears twice");
        }
    }

    private void accept(String name, PackageStage stage) {
        if (stage.problems().isEmpty()) {
            stages.put(name, stage);
        } else {
            invalid.put(name, "invalid: " + String.join("; ", stage.problems()));
        }
        progress.run();
    }

    /** Packages that failed validation, with their problems. */
    Map<String, String> invalid() {
        return invalid;
    }

    /** How many valid packages are staged. */
    int valid() {
        return stages.size();
    }

    /**
     * Filters the staged packages and gives each kept package's file. {@code contents} gives, by package name, the
     * content of packages that were added from their stage when the filter keeps only part of them.
     */
    Rendered render(Function<List<String>, Map<String, String>> contents) throws IOException {
        List<CatalogPackage> skeletons = new ArrayList<>(stages.size());
        Set<String> stored = new HashSet<>();
        stages.values().forEach(s -> {
            skeletons.add(s.skeleton());
            stored.add(s.rendered());
        });
        CatalogFilter.Result filtered = CatalogFilter.apply(new Catalog(skeletons), spec);
        SortedMap<String, Path> files = new TreeMap<>();
        CatalogSummary.Builder summary = new CatalogSummary.Builder();
        Map<String, CatalogPackage> restricted = new TreeMap<>();
        int channels = 0;
        int bundles = 0;
        for (CatalogPackage kept : filtered.catalog().packages()) {
            PackageStage stage = stages.get(kept.name());
            channels += kept.channels().size();
            bundles += kept.bundles().size();
            if (kept.equals(stage.skeleton())) {
                files.put(kept.name(), store.path(stage.rendered()));
                summary.add(stage.summary());
                progress.run();
            } else {
                restricted.put(kept.name(), kept);
            }
        }
        List<String> fromCache = restricted.keySet().stream().filter(n -> !stagedContent.containsKey(n)).toList();
        for (int from = 0; from < fromCache.size(); from += BuildPipeline.BATCH) {
            List<String> names = fromCache.subList(from, Math.min(fromCache.size(), from + BuildPipeline.BATCH));
            Map<String, String> batch = contents.apply(names);
            for (String name : names) {
                String content = batch.get(name);
                if (content == null) {
                    throw new TransientFailure("package " + name + " left or changed in the package cache during the build", null);
                }
                restrict(read(name, content), restricted.get(name), files, summary);
            }
        }
        for (Map.Entry<String, Path> file : stagedContent.entrySet()) {
            CatalogPackage kept = restricted.get(file.getKey());
            if (kept != null) {
                restrict(read(file.getKey(), Files.readString(file.getValue())), kept, files, summary);
            }
            Files.deleteIfExists(file.getValue());
        }
        stages.clear();
        files.values().forEach(f -> stored.add(f.getFileName().toString().replace(".json", "")));
        return new Rendered(files, stored, filtered.rejected(), summary.build(),
                new CatalogCounts(files.size(), channels, bundles));
    }

    private void restrict(CatalogPackage full, CatalogPackage kept, SortedMap<String, Path> files,
            CatalogSummary.Builder summary) throws IOException {
        CatalogPackage pkg = CatalogFilter.restrict(full, kept);
        files.put(pkg.name(), store.path(store.write(pkg, writer)));
        summary.add(pkg);
        progress.run();
    }

    private CatalogPackage read(String name, String content) {
        try {
            return json.readValue(content, CatalogPackage.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cached package " + name + " is unreadable", e);
        }
    }
}
