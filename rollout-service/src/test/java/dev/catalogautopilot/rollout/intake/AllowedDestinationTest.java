package dev.catalogautopilot.rollout.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AllowedDestinationTest {

    private static final String DIGEST = "@sha256:" + "a".repeat(64);

    @Test
    void imagesUnderTheRegistryAndPrefixAreAccepted() {
        AllowedDestination destination = AllowedDestination.parse("mirror.example.com:5000/olm/");
        assertThat(destination.refusal("catalog image", "mirror.example.com:5000/olm/redhat-operators" + DIGEST))
                .isEmpty();
        assertThat(destination.refusal("content", "mirror.example.com:5000/olm/a/b:v1")).isEmpty();
        assertThat(AllowedDestination.parse("mirror.example.com").refusal("catalog image",
                "mirror.example.com/any/path" + DIGEST)).isEmpty();
    }

    @Test
    void aPrefixAsDeepAsTheMirrorsComponentCapIsJoinedAsTheMirrorNamesIt() {
        // mirror.destination=mirror.example.com/team/olm with mirror.max-components=2 names team/olm-<source>.
        AllowedDestination destination = AllowedDestination.parse("mirror.example.com/team/olm");
        assertThat(destination.refusal("catalog image", "mirror.example.com/team/olm-community-operators" + DIGEST))
                .isEmpty();
        assertThat(destination.refusal("catalog image", "mirror.example.com/team/olm/community-operators" + DIGEST))
                .isEmpty();
        assertThat(destination.refusal("catalog image", "mirror.example.com/team/olmx-community" + DIGEST))
                .isPresent();
        assertThat(destination.refusal("catalog image", "mirror.example.com/team-x/olm-community" + DIGEST))
                .isPresent();
    }

    @Test
    void anotherRegistryPortOrPathIsRefusedWithTheDestination() {
        AllowedDestination destination = AllowedDestination.parse("mirror.example.com:5000/olm");
        assertThat(destination.refusal("catalog image", "evil.example.com:5000/olm/ops" + DIGEST))
                .hasValueSatisfying(reason -> assertThat(reason).contains("evil.example.com:5000/olm/ops")
                        .contains("outside the mirror destination mirror.example.com:5000/olm"));
        assertThat(destination.refusal("catalog image", "mirror.example.com/olm/ops" + DIGEST)).isPresent();
        assertThat(destination.refusal("catalog image", "mirror.example.com:5000/olmx/ops" + DIGEST)).isPresent();
        assertThat(destination.refusal("catalog image", "mirror.example.com:5000/other/olm/ops" + DIGEST))
                .isPresent();
        assertThat(destination.refusal("catalog image", "mirror.example.com:5000/olm" + DIGEST)).isPresent();
        assertThat(destination.refusal("content", "not a reference")).hasValueSatisfying(reason ->
                assertThat(reason).contains("is not an image reference"));
    }

    @Test
    void aDestinationWithoutRegistryFailsStartup() {
        assertThatThrownBy(() -> AllowedDestination.parse("/olm")).hasMessageContaining("rollout.mirror-destination");
    }
}
