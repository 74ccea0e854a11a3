package dev.catalogautopilot.testing.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.registry.ImageReference;
import java.util.List;
import org.junit.jupiter.api.Test;

class PullSourcesTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void imageNoRuleCoversIsPulledFromWhereItNames() {
        ImageReference image = ImageReference.parse("mirror.example.com:5000/olm/catalog@" + DIGEST);
        List<MirrorRule> rules = List.of(new MirrorRule("quay.io/strimzi", List.of("mirror.example.com:5000/strimzi")));

        assertThat(PullSources.candidates(image, rules)).containsExactly(image);
    }

    @Test
    void coveredImageIsPulledOnlyFromItsMirrorsInOrderKeepingTheDigestAndTheRestOfThePath() {
        ImageReference image = ImageReference.parse("quay.io/strimzi/operator@" + DIGEST);
        List<MirrorRule> rules = List.of(
                new MirrorRule("quay.io/strimzi", List.of("m1.example.com/strimzi", "m2.example.com/s")),
                new MirrorRule("quay.io/other", List.of("m3.example.com/other")));

        assertThat(PullSources.candidates(image, rules)).extracting(ImageReference::toString).containsExactly(
                "m1.example.com/strimzi/operator@" + DIGEST, "m2.example.com/s/operator@" + DIGEST);
    }

    @Test
    void sourceMatchesWholePathComponentsOnlyAndTagsAreKept() {
        ImageReference image = ImageReference.parse("quay.io/strimzi-extra/operator:1.0");
        List<MirrorRule> prefixOfAComponent = List.of(new MirrorRule("quay.io/strimzi", List.of("m1.example.com/x")));
        assertThat(PullSources.candidates(image, prefixOfAComponent)).containsExactly(image);

        List<MirrorRule> exact = List.of(new MirrorRule("quay.io/strimzi-extra/operator", List.of("m1.example.com/op")));
        assertThat(PullSources.candidates(image, exact)).extracting(ImageReference::toString)
                .containsExactly("m1.example.com/op:1.0");
    }
}
