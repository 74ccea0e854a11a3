package dev.catalogautopilot.builder.fbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.builder.input.InputLimits;
import dev.catalogautopilot.builder.input.SafeYaml;
import dev.catalogautopilot.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class FbcWriterTest {

    private final FbcReader reader = new FbcReader(new SafeYaml(InputLimits.DEFAULT));
    private final FbcWriter writer = new FbcWriter();

    @Test
    void rendersOneSortedDirectoryPerPackageThatReadsBackEqual() throws Exception {
        Catalog catalog = reader.read(Map.of("index.yaml", Files.readAllBytes(
                Fixtures.fbc().resolve("index-declcfgs/latest/index.yaml"))), "latest");
        SortedMap<String, byte[]> files = writer.render(catalog);
        assertThat(files.keySet()).containsExactly("bar/catalog.json", "baz/catalog.json", "foo/catalog.json");
        assertThat(reader.read(files, "rendered")).isEqualTo(catalog);
        String bar = new String(files.get("bar/catalog.json"), StandardCharsets.UTF_8);
        assertThat(bar.indexOf("\"olm.package\"")).isLessThan(bar.indexOf("\"olm.channel\""));
        assertThat(bar.indexOf("\"name\" : \"alpha\"")).isLessThan(bar.indexOf("\"name\" : \"stable\""));
        assertThat(bar.indexOf("\"defaultChannel\"")).as("keys sorted").isLessThan(bar.indexOf("\"schema\""));
    }

    @Test
    void theSameContentInAnyOrderRendersTheSameBytes() throws Exception {
        Catalog catalog = reader.read(Map.of("index.yaml", Files.readAllBytes(
                Fixtures.fbc().resolve("index-declcfgs/latest/index.yaml"))), "latest");
        List<CatalogPackage> shuffled = new ArrayList<>();
        for (CatalogPackage pkg : catalog.packages()) {
            List<Bundle> bundles = new ArrayList<>();
            for (Bundle b : pkg.bundles()) {
                List<Property> properties = new ArrayList<>(b.properties());
                Collections.reverse(properties);
                bundles.add(new Bundle(b.name(), b.packageName(), b.image(), properties, b.relatedImages()));
            }
            Collections.reverse(bundles);
            List<Channel> channels = new ArrayList<>(pkg.channels());
            Collections.reverse(channels);
            shuffled.add(0, pkg.with(channels, bundles));
        }
        SortedMap<String, byte[]> a = writer.render(catalog);
        SortedMap<String, byte[]> b = writer.render(new Catalog(shuffled));
        assertThat(b.keySet()).isEqualTo(a.keySet());
        a.forEach((path, bytes) -> assertThat(b.get(path)).as(path).isEqualTo(bytes));
    }
}
