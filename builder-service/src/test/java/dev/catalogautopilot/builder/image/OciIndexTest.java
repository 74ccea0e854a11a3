package dev.catalogautopilot.builder.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.registry.Digest;
import java.util.List;
import org.junit.jupiter.api.Test;

class OciIndexTest {

    @Test
    void joinsPlatformManifestsReproducibly() throws Exception {
        List<OciIndex.Entry> entries = List.of(
                new OciIndex.Entry(ImagePlatform.parse("linux/amd64"), "application/vnd.oci.image.manifest.v1+json",
                        Digest.sha256(new byte[] {1}), 500),
                new OciIndex.Entry(ImagePlatform.parse("linux/arm64/v8"), "application/vnd.oci.image.manifest.v1+json",
                        Digest.sha256(new byte[] {2}), 501));
        byte[] bytes = OciIndex.bytes(entries);
        assertThat(OciIndex.bytes(entries)).isEqualTo(bytes);
        JsonNode index = new ObjectMapper().readTree(bytes);
        assertThat(index.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(index.path("manifests").get(1).path("platform").path("variant").asText()).isEqualTo("v8");
        assertThat(index.path("manifests").get(0).path("platform").has("variant")).isFalse();
        assertThat(index.path("manifests").get(0).path("size").asLong()).isEqualTo(500);
    }

    @Test
    void platformsParseAndMatchLikeFilterByOs() {
        assertThat(ImagePlatform.parse("linux/arm64").accepts(new ImagePlatform("linux", "arm64", "v8"))).isTrue();
        assertThat(ImagePlatform.parse("linux/arm/v7").accepts(new ImagePlatform("linux", "arm", "v6"))).isFalse();
        assertThatThrownBy(() -> ImagePlatform.parse("amd64")).hasMessageContaining("os/architecture");
    }
}
