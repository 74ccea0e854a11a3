package dev.catalogautopilot.builder.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CatalogLayersTest {

    @Test
    void everyPackageIsInExactlyOneLayerAndStaysThereWhateverElseChanges() {
        SortedMap<String, Path> packages = packages(300);
        List<SortedMap<String, Path>> layers = CatalogLayers.split(packages, 16);
        assertThat(layers).hasSize(16);
        List<String> all = new ArrayList<>();
        layers.forEach(layer -> all.addAll(layer.keySet()));
        assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(packages.keySet());
        assertThat(layers).allSatisfy(layer -> assertThat(layer.size()).as("spread evenly").isBetween(5, 40));

        SortedMap<String, Path> changed = new TreeMap<>(packages);
        changed.remove("package-007");
        changed.put("package-007", Path.of("/elsewhere/new.json"));
        changed.put("a-new-package", Path.of("/elsewhere/added.json"));
        List<SortedMap<String, Path>> after = CatalogLayers.split(changed, 16);
        int differing = 0;
        for (int i = 0; i < layers.size(); i++) {
            differing += layers.get(i).equals(after.get(i)) ? 0 : 1;
        }
        assertThat(differing).as("a changed and an added package touch at most two layers").isBetween(1, 2);
    }

    @Test
    void emptyLayersAreLeftOutAndTheCountIsBounded() {
        assertThat(CatalogLayers.split(packages(3), 64)).hasSizeBetween(1, 3);
        assertThat(CatalogLayers.split(packages(10), 1)).hasSize(1);
        assertThatThrownBy(() -> CatalogLayers.split(packages(3), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CatalogLayers.split(packages(3), CatalogLayers.MAX + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static SortedMap<String, Path> packages(int count) {
        SortedMap<String, Path> packages = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String name = String.format("package-%03d", i);
            packages.put(name, Path.of("/rendered/" + name + ".json"));
        }
        return packages;
    }
}
