package dev.catalogautopilot.builder.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.builder.fbc.Catalog;
import dev.catalogautopilot.builder.fbc.Channel;
import dev.catalogautopilot.builder.fbc.ChannelEntry;
import dev.catalogautopilot.builder.fbc.FbcReader;
import dev.catalogautopilot.builder.fbc.Semver;
import dev.catalogautopilot.builder.input.InputLimits;
import dev.catalogautopilot.builder.input.SafeYaml;
import dev.catalogautopilot.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Our filters against what {@code opm alpha diff} produced on the same catalog (fixtures fbc/index-declcfgs). */
class CatalogFilterTest {

    private static final FbcReader READER = new FbcReader(new SafeYaml(InputLimits.DEFAULT));
    private final Catalog latest = read("latest");

    @Test
    void headsOnlyMatchesOpmIncludingDependencies() {
        FilterSpec headsOnly = new FilterSpec(Set.of(), Set.of(), true, Map.of());
        assertThat(CatalogFilter.apply(latest, headsOnly).catalog()).isEqualTo(read("exp-headsonly"));
    }

    @Test
    void aWholePackageOnTopOfHeadsOnlyMatchesOpmsIncludePackage() {
        FilterSpec spec = new FilterSpec(Set.of(), Set.of(), true, Map.of("baz",
                new FilterSpec.PackageSpec(Set.of(), Optional.of(Semver.parse("0.0.0")), Optional.empty())));
        assertThat(CatalogFilter.apply(latest, spec).catalog()).isEqualTo(read("exp-include-pkg"));
    }

    @Test
    void aWholeChannelOnTopOfHeadsOnlyMatchesOpmsIncludeChannel() {
        FilterSpec spec = new FilterSpec(Set.of(), Set.of(), true, Map.of("baz",
                new FilterSpec.PackageSpec(Set.of("stable"), Optional.of(Semver.parse("0.0.0")), Optional.empty())));
        assertThat(CatalogFilter.apply(latest, spec).catalog()).isEqualTo(read("exp-include-channel"));
    }

    @Test
    void includeRestrictsAndExcludeWinsUnlikeOpmsAdditiveInclude() {
        FilterSpec spec = new FilterSpec(Set.of("foo", "bar"), Set.of("bar"), false, Map.of("foo",
                new FilterSpec.PackageSpec(Set.of(), Optional.of(Semver.parse("0.2.0")),
                        Optional.of(Semver.parse("0.3.0")))));
        Catalog filtered = CatalogFilter.apply(latest, spec).catalog();
        assertThat(filtered.packages()).extracting(p -> p.name()).containsExactly("foo");
        Channel beta = filtered.find("foo").orElseThrow().channel("beta").orElseThrow();
        assertThat(beta.entries()).extracting(ChannelEntry::name).containsExactly("foo.v0.2.0", "foo.v0.3.0");
        assertThat(beta.entries().get(1).replaces()).as("edges kept as they are").isEqualTo("foo.v0.2.0");
    }

    @Test
    void reportsFiltersThatCannotApply() {
        FilterSpec missingChannel = new FilterSpec(Set.of("bar"), Set.of(), false,
                Map.of("bar", new FilterSpec.PackageSpec(Set.of("fast"), Optional.empty(), Optional.empty())));
        assertThat(CatalogFilter.apply(latest, missingChannel).rejected())
                .containsEntry("bar", "the filter keeps channels [fast], which the package does not have");
        FilterSpec withoutDefault = new FilterSpec(Set.of("bar"), Set.of(), false,
                Map.of("bar", new FilterSpec.PackageSpec(Set.of("alpha"), Optional.empty(), Optional.empty())));
        assertThat(CatalogFilter.apply(latest, withoutDefault).rejected())
                .containsEntry("bar", "the filter leaves out the default channel stable");
        FilterSpec noVersion = new FilterSpec(Set.of("baz"), Set.of(), false, Map.of("baz",
                new FilterSpec.PackageSpec(Set.of(), Optional.of(Semver.parse("9.0.0")), Optional.empty())));
        assertThat(CatalogFilter.apply(latest, noVersion).rejected()).containsKey("baz");
        assertThat(CatalogFilter.apply(latest, noVersion).catalog().packages()).isEmpty();
    }

    @Test
    void keepsEverythingWithoutAFilter() {
        assertThat(CatalogFilter.apply(latest, FilterSpec.ALL).catalog()).isEqualTo(latest);
    }

    static Catalog read(String dir) {
        Path file = Fixtures.fbc().resolve("index-declcfgs").resolve(dir).resolve("index.yaml");
        try {
            return READER.read(Map.of("index.yaml", Files.readAllBytes(file)), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
