package dev.catalogautopilot.testing.scale;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.registry.Manifest;
import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.testing.Fixtures;
import dev.catalogautopilot.testing.registry.LocalRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyImagePusherTest {

    @TempDir
    Path work;

    @Test
    void everyReferenceOfAGeneratedCatalogResolvesToItsImage() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            ScaleCatalog catalog = ScaleCatalogGenerator.generate(new ScaleSpec(3, 6, 40, 8), Fixtures.operators(),
                    registry.host(), work.resolve("catalog"));
            List<String> phases = new ArrayList<>();

            TinyImagePusher.Pushed pushed = TinyImagePusher.push(registry.client(), registry.host(), catalog.images(),
                    4, phases::add);

            assertThat(pushed.images()).isEqualTo(40);
            assertThat(pushed.repositories()).isEqualTo(8);
            assertThat(phases).hasSize(2);
            RegistryClient client = registry.client();
            ObjectMapper json = new ObjectMapper();
            for (ScaleImage image : catalog.images()) {
                Manifest manifest = client.getManifest(image.pinned(registry.host()));
                assertThat(manifest.digest()).isEqualTo(image.digest());
                JsonNode body = json.readTree(manifest.bytes());
                assertThat(body.path("annotations").path(TinyImage.IMAGE_ANNOTATION).asText())
                        .isEqualTo(image.repository() + ":" + image.tag());
                for (JsonNode blob : List.of(body.path("config"), body.path("layers").get(0))) {
                    assertThat(client.hasBlob(registry.repository(image.repository()),
                            dev.catalogautopilot.registry.Digest.parse(blob.path("digest").asText()))).isTrue();
                }
            }
            assertThat(client.resolve(registry.image(catalog.images().get(0).repository() + ":"
                    + catalog.images().get(0).tag())).digest()).isEqualTo(catalog.images().get(0).digest());
        }
    }
}
