package dev.catalogautopilot.builder.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.builder.diff.CatalogSummary;
import dev.catalogautopilot.builder.fbc.Catalog;
import dev.catalogautopilot.builder.fbc.CatalogPackage;
import dev.catalogautopilot.builder.fbc.Channel;
import dev.catalogautopilot.builder.fbc.FbcReader;
import dev.catalogautopilot.builder.fbc.FbcWriter;
import dev.catalogautopilot.builder.filter.CatalogFilter;
import dev.catalogautopilot.builder.filter.FilterSpec;
import dev.catalogautopilot.builder.fbc.Semver;
import dev.catalogautopilot.builder.input.InputLimits;
import dev.catalogautopilot.builder.input.SafeYaml;
import dev.catalogautopilot.builder.validate.CatalogValidator;
import dev.catalogautopilot.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streamed build gives the same FBC as rendering the validated, filtered catalog as a whole: every package's
 * file is that package's own FBC, and the catalog is exactly those files put together.
 */
class CatalogAssemblyTest {

    private static final FbcReader READER = new FbcReader(new SafeYaml(InputLimits.DEFAULT));
    private static final FilterSpec NONE = new FilterSpec(Set.of(), Set.of(), false, Map.of());
    private static final FilterSpec HEADS = new FilterSpec(Set.of(), Set.of(), true, Map.of());
    private final ObjectMapper json = new ObjectMapper();
    private final FbcWriter writer = new FbcWriter();

    @TempDir
    Path work;

    @Test
    void unfilteredCatalogIsThePerPackageFbcsPutTogether() throws IOException {
        Catalog catalog = valid(readFixture(Fixtures.fbc().resolve("community-v4.16")));
        assertThat(catalog.packages()).hasSizeGreaterThan(1);
        Streamed streamed = stream(catalog, NONE);

        assertThat(streamed.files.keySet()).containsExactlyElementsOf(
                catalog.packages().stream().map(p -> p.name() + "/" + FbcWriter.FILE).toList());
        for (CatalogPackage pkg : catalog.packages()) {
            assertThat(streamed.files.get(pkg.name() + "/" + FbcWriter.FILE)).as(pkg.name())
                    .isEqualTo(writer.render(pkg));
        }
        ByteArrayOutputStream together = new ByteArrayOutputStream();
        writer.render(catalog).values().forEach(together::writeBytes);
        ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
        streamed.files.values().forEach(concatenated::writeBytes);
        assertThat(concatenated.toByteArray()).isEqualTo(together.toByteArray());
        assertThat(streamed.rendered.summary()).isEqualTo(CatalogSummary.of(catalog));
        assertThat(streamed.rendered.counts().bundles()).isEqualTo(catalog.bundleCount());
        assertThat(streamed.rendered.counts().channels()).isEqualTo(catalog.channelCount());
    }

    @Test
    void filtersWithDependenciesGiveWhatFilteringTheWholeCatalogGives() throws IOException {
        Catalog latest = valid(readFixture(Fixtures.fbc().resolve("index-declcfgs/latest")));
        List<FilterSpec> specs = List.of(
                new FilterSpec(Set.of(), Set.of(), true, Map.of()),
                new FilterSpec(Set.of(), Set.of(), true, Map.of("baz", new FilterSpec.PackageSpec(Set.of("stable"),
                        Optional.of(Semver.parse("0.0.0")), Optional.empty()))),
                new FilterSpec(Set.of("foo", "bar"), Set.of("bar"), false, Map.of("foo",
                        new FilterSpec.PackageSpec(Set.of(), Optional.of(Semver.parse("0.2.0")),
                                Optional.of(Semver.parse("0.3.0"))))),
                new FilterSpec(Set.of("baz"), Set.of(), false, Map.of("baz", new FilterSpec.PackageSpec(
                        Set.of("no-such-channel"), Optional.empty(), Optional.empty()))));
        for (FilterSpec spec : specs) {
            CatalogFilter.Result whole = CatalogFilter.apply(latest, spec);
            Path dir = Files.createTempDirectory(work, "spec");
            for (Streamed streamed : List.of(stream(latest, spec, dir, store(dir)),
                    streamFromStages(latest, spec, Files.createTempDirectory(work, "staged-spec")))) {
                assertThat(streamed.files).as(spec.toString())
                        .containsExactlyEntriesOf(writer.render(whole.catalog()));
                assertThat(streamed.rendered.rejected()).as(spec.toString()).isEqualTo(whole.rejected());
                assertThat(streamed.rendered.summary()).isEqualTo(CatalogSummary.of(whole.catalog()));
                assertThat(streamed.rendered.counts().bundles()).isEqualTo(whole.catalog().bundleCount());
            }
        }
        assertThat(CatalogFilter.apply(latest, specs.get(0)).catalog().bundleCount())
                .as("the heads-only filter drops bundles, so the comparison means something")
                .isLessThan(latest.bundleCount());
    }

    @Test
    void invalidPackagesAreLeftOutWithTheirProblems() throws IOException {
        Catalog latest = readFixture(Fixtures.fbc().resolve("index-declcfgs/latest"));
        CatalogPackage foo = latest.find("foo").orElseThrow();
        CatalogPackage broken = foo.with(List.of(new Channel("beta", "foo", List.of(), null)), foo.bundles());
        List<CatalogPackage> packages = new ArrayList<>(latest.packages().stream()
                .filter(p -> !p.name().equals("foo")).toList());
        packages.add(broken);
        CatalogAssembly assembly = new CatalogAssembly(work, store(work), HEADS, json, writer, () -> { });
        Map<String, PackageStage> stages = new TreeMap<>();
        for (CatalogPackage pkg : packages) {
            stages.put(pkg.name(), assembly.add(pkg.name(), json.writeValueAsString(pkg)));
        }
        assertThat(assembly.invalid()).containsOnlyKeys("foo");
        assertThat(assembly.invalid().get("foo")).startsWith("invalid: ")
                .contains(String.join("; ", CatalogValidator.problems(broken)));
        assertThat(stages.get("foo").problems()).isEqualTo(CatalogValidator.problems(broken));
        CatalogAssembly.Rendered rendered = assembly.render(names -> Map.of());
        assertThat(rendered.files()).containsOnlyKeys("bar", "baz");
        assertThat(work.resolve("staged")).isEmptyDirectory();

        CatalogAssembly warm = new CatalogAssembly(work, store(work), HEADS, json, writer, () -> { });
        for (Map.Entry<String, PackageStage> stage : stages.entrySet()) {
            assertThat(warm.addStaged(stage.getKey(), roundTrip(stage.getValue()))).isTrue();
        }
        assertThat(warm.invalid()).isEqualTo(assembly.invalid());
    }

    @Test
    void aWarmBuildReusesEveryStagedFileAsItIs() throws IOException {
        Catalog catalog = valid(readFixture(Fixtures.fbc().resolve("community-v4.16")));
        RenderedPackages store = store(work);
        CatalogAssembly cold = new CatalogAssembly(work, store, NONE, json, writer, () -> { });
        Map<String, PackageStage> stages = new TreeMap<>();
        for (CatalogPackage pkg : catalog.packages()) {
            stages.put(pkg.name(), cold.add(pkg.name(), json.writeValueAsString(pkg)));
        }
        CatalogAssembly.Rendered first = cold.render(names -> Map.of());
        Map<Path, java.nio.file.attribute.FileTime> times = new TreeMap<>();
        for (Path file : first.files().values()) {
            times.put(file, Files.getLastModifiedTime(file));
        }

        CatalogAssembly warm = new CatalogAssembly(work, store, NONE, json, writer, () -> { });
        for (Map.Entry<String, PackageStage> stage : stages.entrySet()) {
            assertThat(warm.addStaged(stage.getKey(), roundTrip(stage.getValue()))).as(stage.getKey()).isTrue();
        }
        CatalogAssembly.Rendered second = warm.render(names -> {
            throw new AssertionError("an unfiltered warm build reads no content, but asked for " + names);
        });
        assertThat(second.files()).isEqualTo(first.files());
        assertThat(second.summary()).isEqualTo(first.summary()).isEqualTo(CatalogSummary.of(catalog));
        assertThat(second.counts()).isEqualTo(first.counts());
        for (Path file : second.files().values()) {
            assertThat(Files.getLastModifiedTime(file)).as("%s is not rewritten", file).isEqualTo(times.get(file));
        }

        String gone = catalog.packages().get(0).name();
        Files.delete(first.files().get(gone));
        CatalogAssembly afterLoss = new CatalogAssembly(work, store, NONE, json, writer, () -> { });
        assertThat(afterLoss.addStaged(gone, stages.get(gone))).as("a stage whose file is gone").isFalse();
        assertThat(afterLoss.addStaged(gone, new PackageStage(PackageStage.FORMAT - 1, List.of(),
                stages.get(gone).skeleton(), stages.get(gone).summary(), stages.get(gone).rendered())))
                .as("a stage of another format").isFalse();
    }

    @Test
    void storeKeepsOnlyTheFilesOfTheLastBuild() throws IOException {
        Catalog latest = valid(readFixture(Fixtures.fbc().resolve("index-declcfgs/latest")));
        RenderedPackages store = store(work);
        Streamed streamed = stream(latest, NONE, work, store);
        Path stray = work.resolve("rendered").resolve("0".repeat(64) + ".json");
        Files.writeString(stray, "{}");
        store.retainOnly(streamed.rendered.stored());
        assertThat(stray).doesNotExist();
        for (Path file : streamed.rendered.files().values()) {
            assertThat(file).exists();
        }
    }

    private record Streamed(SortedMap<String, byte[]> files, CatalogAssembly.Rendered rendered) {
    }

    private Streamed stream(Catalog catalog, FilterSpec spec) throws IOException {
        return stream(catalog, spec, work, store(work));
    }

    /** Every package through the cache's JSON form, as an App Registry build gives it. */
    private Streamed stream(Catalog catalog, FilterSpec spec, Path dir, RenderedPackages store) throws IOException {
        AtomicInteger progress = new AtomicInteger();
        CatalogAssembly assembly = new CatalogAssembly(dir, store, spec, json, writer, progress::incrementAndGet);
        for (CatalogPackage pkg : catalog.packages()) {
            assembly.add(pkg.name(), json.writeValueAsString(pkg));
        }
        CatalogAssembly.Rendered rendered = assembly.render(names -> Map.of());
        assertThat(progress.get()).as("progress told per package").isGreaterThanOrEqualTo(catalog.packages().size());
        return new Streamed(files(rendered), rendered);
    }

    /**
     * As a warm App Registry build gives it: every package from its cached stage (through JSON), the content of
     * those the filter restricts read from the cache.
     */
    private Streamed streamFromStages(Catalog catalog, FilterSpec spec, Path dir) throws IOException {
        RenderedPackages store = store(dir);
        CatalogAssembly cold = new CatalogAssembly(dir, store, FilterSpec.ALL, json, writer, () -> { });
        Map<String, PackageStage> stages = new TreeMap<>();
        Map<String, String> contents = new TreeMap<>();
        for (CatalogPackage pkg : catalog.packages()) {
            contents.put(pkg.name(), json.writeValueAsString(pkg));
            stages.put(pkg.name(), cold.add(pkg.name(), contents.get(pkg.name())));
        }
        CatalogAssembly warm = new CatalogAssembly(dir, store, spec, json, writer, () -> { });
        for (Map.Entry<String, PackageStage> stage : stages.entrySet()) {
            assertThat(warm.addStaged(stage.getKey(), roundTrip(stage.getValue()))).isTrue();
        }
        List<String> asked = new ArrayList<>();
        CatalogAssembly.Rendered rendered = warm.render(names -> {
            asked.addAll(names);
            Map<String, String> batch = new TreeMap<>();
            names.forEach(n -> batch.put(n, contents.get(n)));
            return batch;
        });
        assertThat(asked).as("content is read only for packages the filter restricts").doesNotHaveDuplicates()
                .allSatisfy(n -> assertThat(rendered.files()).containsKey(n));
        return new Streamed(files(rendered), rendered);
    }

    private PackageStage roundTrip(PackageStage stage) throws IOException {
        return json.readValue(json.writeValueAsString(stage), PackageStage.class);
    }

    private static RenderedPackages store(Path dir) throws IOException {
        return new RenderedPackages(dir.resolve("rendered"));
    }

    /** The rendered files as {@code <package>/catalog.json} to content. */
    private static SortedMap<String, byte[]> files(CatalogAssembly.Rendered rendered) throws IOException {
        SortedMap<String, byte[]> files = new TreeMap<>();
        for (Map.Entry<String, Path> file : rendered.files().entrySet()) {
            files.put(file.getKey() + "/" + FbcWriter.FILE, Files.readAllBytes(file.getValue()));
        }
        return files;
    }

    private static Catalog valid(Catalog catalog) {
        return new Catalog(catalog.packages().stream().filter(p -> CatalogValidator.problems(p).isEmpty()).toList());
    }

    private static Catalog readFixture(Path dir) {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(path).toString(), Files.readAllBytes(path));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return READER.read(files, dir.getFileName().toString());
    }
}
