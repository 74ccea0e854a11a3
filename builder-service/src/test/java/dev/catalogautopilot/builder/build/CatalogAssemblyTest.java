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
            Path dir = Files.createTempDirectory(work, "spec");
            Streamed streamed = stream(latest, spec, dir);
            CatalogFilter.Result whole = CatalogFilter.apply(latest, spec);
            assertThat(streamed.files).as(spec.toString()).containsExactlyEntriesOf(writer.render(whole.catalog()));
            assertThat(streamed.rendered.rejected()).as(spec.toString()).isEqualTo(whole.rejected());
            assertThat(streamed.rendered.summary()).isEqualTo(CatalogSummary.of(whole.catalog()));
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
        CatalogAssembly assembly = new CatalogAssembly(work, json, writer, () -> { });
        for (CatalogPackage pkg : packages) {
            assembly.add(pkg.name(), json.writeValueAsString(pkg));
        }
        assertThat(assembly.invalid()).containsOnlyKeys("foo");
        assertThat(assembly.invalid().get("foo")).startsWith("invalid: ")
                .contains(String.join("; ", CatalogValidator.problems(broken)));
        assembly.render(NONE, work.resolve("configs"));
        assertThat(files(work.resolve("configs"))).containsOnlyKeys("bar/catalog.json", "baz/catalog.json");
        assertThat(work.resolve("staged")).isEmptyDirectory();
    }

    private record Streamed(SortedMap<String, byte[]> files, CatalogAssembly.Rendered rendered) {
    }

    private Streamed stream(Catalog catalog, FilterSpec spec) throws IOException {
        return stream(catalog, spec, work);
    }

    /** Every package through the cache's JSON form, as an App Registry build gives it. */
    private Streamed stream(Catalog catalog, FilterSpec spec, Path dir) throws IOException {
        AtomicInteger progress = new AtomicInteger();
        CatalogAssembly assembly = new CatalogAssembly(dir, json, writer, progress::incrementAndGet);
        for (CatalogPackage pkg : catalog.packages()) {
            assembly.add(pkg.name(), json.writeValueAsString(pkg));
        }
        CatalogAssembly.Rendered rendered = assembly.render(spec, dir.resolve("configs"));
        assertThat(progress.get()).as("progress told per package").isGreaterThanOrEqualTo(catalog.packages().size());
        return new Streamed(files(dir.resolve("configs")), rendered);
    }

    private static SortedMap<String, byte[]> files(Path root) throws IOException {
        SortedMap<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(path).toString(), Files.readAllBytes(path));
            }
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
