package dev.catalogautopilot.mirror.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catalogautopilot.registry.ImageReference;
import org.junit.jupiter.api.Test;

class TargetNamingTest {

    private static final String DIGEST = "sha256:0e37f671e6d489c3e56ffb8f51f19a2a014b2cb3f57eafcc5e2931090932e725";

    private static String target(String destination, int maxComponents, String source) {
        return TargetNaming.of(destination, maxComponents).targetOf(ImageReference.parse(source)).toString();
    }

    @Test
    void keepsNamespaceAndNameAndTheTag() {
        assertThat(target("mirror.example.com:5000", 2, "quay.io/strimzi/operator:0.18.0"))
                .isEqualTo("mirror.example.com:5000/strimzi/operator:0.18.0");
    }

    @Test
    void tagsADigestOnlySourceWithItsDigestSoTheRegistryKeepsIt() {
        assertThat(target("mirror.example.com", 2, "quay.io/strimzi/operator@" + DIGEST))
                .isEqualTo("mirror.example.com/strimzi/operator:" + DIGEST.substring(7));
    }

    @Test
    void joinsPathComponentsBeyondTheMaximumWithDashes() {
        assertThat(target("mirror.example.com", 2, "registry.example.com/a/b/c:1"))
                .isEqualTo("mirror.example.com/a/b-c:1");
        assertThat(target("mirror.example.com", 3, "registry.example.com/a/b/c/d:1"))
                .isEqualTo("mirror.example.com/a/b/c-d:1");
    }

    @Test
    void countsThePrefixAmongTheComponentsAsOcDoes() {
        assertThat(target("mirror.example.com/olm", 2, "quay.io/strimzi/operator:1"))
                .isEqualTo("mirror.example.com/olm/strimzi-operator:1");
        assertThat(target("mirror.example.com/olm", 3, "quay.io/strimzi/operator:1"))
                .isEqualTo("mirror.example.com/olm/strimzi/operator:1");
    }

    @Test
    void zeroMeansUnlimited() {
        assertThat(target("mirror.example.com/a/b", 0, "quay.io/x/y/z:1"))
                .isEqualTo("mirror.example.com/a/b/x/y/z:1");
    }

    @Test
    void normalisesDockerHubShortNames() {
        assertThat(target("mirror.example.com", 2, "busybox:1.36"))
                .isEqualTo("mirror.example.com/library/busybox:1.36");
    }

    @Test
    void refusesATargetWithASingleComponent() {
        assertThatThrownBy(() -> target("mirror.example.com", 2, "registry.example.com/solo:1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two path components");
    }

    @Test
    void everyTargetLiesUnderTheDestinationAndNothingElseDoes() {
        for (String destination : new String[] {"mirror.example.com:5000", "mirror.example.com:5000/olm",
                "mirror.example.com:5000/a/b/c"}) {
            for (int max : new int[] {0, 2, 3}) {
                TargetNaming naming = TargetNaming.of(destination, max);
                for (String source : new String[] {"quay.io/strimzi/operator:0.18.0", "registry.io/a/b/c/d@" + DIGEST,
                        "quay.io/x/y:1"}) {
                    assertThat(naming.covers(naming.targetOf(ImageReference.parse(source))))
                            .as(destination + " max " + max + " " + source).isTrue();
                }
                assertThat(naming.covers(ImageReference.parse("evil.example.com:5000/olm/x/y:1")))
                        .as(destination).isFalse();
                assertThat(naming.covers(ImageReference.parse("mirror.example.com/olm/x/y:1"))).as(destination)
                        .isFalse();
            }
        }
        TargetNaming olm = TargetNaming.of("mirror.example.com:5000/olm", 0);
        assertThat(olm.covers(ImageReference.parse("mirror.example.com:5000/other/x:1"))).isFalse();
        assertThat(olm.covers(ImageReference.parse("mirror.example.com:5000/olmx/x:1"))).isFalse();
    }
}
