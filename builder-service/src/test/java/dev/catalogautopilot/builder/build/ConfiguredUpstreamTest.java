package dev.catalogautopilot.builder.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catalogautopilot.builder.config.BuilderConfig;
import dev.catalogautopilot.events.catalog.UpstreamSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfiguredUpstreamTest {

    private static final ConfiguredUpstream APP = ConfiguredUpstream.of("ops",
            upstream("https://Quay.io:443/cnr/", "redhat-operators", null)).orElseThrow();
    private static final ConfiguredUpstream INDEX = ConfiguredUpstream.of("ops",
            upstream(null, null, "registry.example.com/redhat/redhat-operator-index:v4.16")).orElseThrow();

    @Test
    void theConfiguredAppRegistryIsAcceptedWhateverItsSpelling() {
        assertThat(APP.refusal("ops", new UpstreamSource.AppRegistry("https://quay.io/cnr", "redhat-operators")))
                .isEmpty();
        assertThat(APP.source()).isEqualTo(new UpstreamSource.AppRegistry("https://Quay.io:443/cnr", "redhat-operators"));
    }

    @Test
    void anotherUrlNamespaceSchemeOrKindIsRefusedWithBoth() {
        assertThat(APP.refusal("ops", new UpstreamSource.AppRegistry("https://evil.example.com/cnr", "redhat-operators")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("https://evil.example.com/cnr")
                        .contains("https://Quay.io:443/cnr").contains("builder.catalogs.ops.upstream"));
        assertThat(APP.refusal("ops", new UpstreamSource.AppRegistry("https://quay.io/cnr", "community"))).isPresent();
        assertThat(APP.refusal("ops", new UpstreamSource.AppRegistry("http://quay.io/cnr", "redhat-operators")))
                .isPresent();
        assertThat(APP.refusal("ops", new UpstreamSource.AppRegistry("https://quay.io:8443/cnr", "redhat-operators")))
                .isPresent();
        assertThat(APP.refusal("ops", new UpstreamSource.AppRegistry("https://quay.io/cnr/other", "redhat-operators")))
                .isPresent();
        assertThat(APP.refusal("ops", new UpstreamSource.AppRegistry("https://quay.io@evil.example.com/cnr",
                "redhat-operators"))).isPresent();
        assertThat(APP.refusal("ops", new UpstreamSource.IndexImage("quay.io/cnr:latest"))).isPresent();
    }

    @Test
    void anIndexImageIsMatchedByRegistryAndRepositoryNotTag() {
        assertThat(INDEX.refusal("ops", new UpstreamSource.IndexImage(
                "registry.example.com/redhat/redhat-operator-index:v4.17"))).isEmpty();
        assertThat(INDEX.refusal("ops", new UpstreamSource.IndexImage(
                "registry.evil.example.com/redhat/redhat-operator-index:v4.16"))).isPresent();
        assertThat(INDEX.refusal("ops", new UpstreamSource.IndexImage(
                "registry.example.com/redhat/other-index:v4.16"))).isPresent();
        assertThat(INDEX.refusal("ops", new UpstreamSource.IndexImage("not a reference"))).isPresent();
        assertThat(INDEX.refusal("ops", new UpstreamSource.AppRegistry("https://registry.example.com", "redhat")))
                .isPresent();
    }

    @Test
    void noUpstreamIsEmptyAndAnIncompleteOrAmbiguousOneFailsStartup() {
        assertThat(ConfiguredUpstream.of("ops", Optional.empty())).isEmpty();
        assertThatThrownBy(() -> ConfiguredUpstream.of("ops", upstream("https://quay.io/cnr", null, null)))
                .hasMessageContaining("builder.catalogs.ops.upstream");
        assertThatThrownBy(() -> ConfiguredUpstream.of("ops", upstream("https://quay.io/cnr", "ns", "quay.io/a/b")))
                .hasMessageContaining("builder.catalogs.ops.upstream");
        assertThatThrownBy(() -> ConfiguredUpstream.of("ops", upstream("file:///etc", "ns", null)))
                .hasMessageContaining("not an http(s) URL");
        assertThatThrownBy(() -> ConfiguredUpstream.of("ops", upstream("https://robot:s3cret@cnr.example.com/cnr",
                "ns", null))).hasMessageContaining("must not hold credentials").message().doesNotContain("s3cret");
    }

    private static Optional<BuilderConfig.Upstream> upstream(String url, String namespace, String indexImage) {
        return Optional.of(new BuilderConfig.Upstream() {
            @Override
            public Optional<String> url() {
                return Optional.ofNullable(url);
            }

            @Override
            public Optional<String> namespace() {
                return Optional.ofNullable(namespace);
            }

            @Override
            public Optional<String> indexImage() {
                return Optional.ofNullable(indexImage);
            }
        });
    }
}
