package dev.catalogautopilot.testing.upstream;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReferenceRewriterTest {

    private final ReferenceRewriter rewriter = new ReferenceRewriter(Map.of(
            "jboss/op:1.0", "H/jboss/op@sha256:aa",
            "docker.io/jboss/op:1.0", "H/jboss/op@sha256:aa",
            "quay.io/x/y@sha256:0123", "H/x/y@sha256:bb"));

    @Test
    void replacesWholeReferencesOnly() {
        String yaml = """
                image: jboss/op:1.0
                other: docker.io/jboss/op:1.0
                quoted: "jboss/op:1.0"
                longer: jboss/op:1.0-rc1
                prefixed: myjboss/op:1.0
                env: --image=quay.io/x/y@sha256:0123,next
                list: [jboss/op:1.0, x]
                prose: Uses jboss/op:1.0.
                """;

        assertThat(rewriter.rewrite(yaml)).isEqualTo("""
                image: H/jboss/op@sha256:aa
                other: H/jboss/op@sha256:aa
                quoted: "H/jboss/op@sha256:aa"
                longer: jboss/op:1.0-rc1
                prefixed: myjboss/op:1.0
                env: --image=H/x/y@sha256:bb,next
                list: [H/jboss/op@sha256:aa, x]
                prose: Uses H/jboss/op@sha256:aa.
                """);
    }

    @Test
    void returnsTheSameTextWhenNothingMatches() {
        String text = "image: quay.io/other/thing:2\n";
        assertThat(rewriter.rewrite(text)).isSameAs(text);
        assertThat(rewriter.matchesAny(text)).isFalse();
        assertThat(rewriter.matchesAny("a: jboss/op:1.0")).isTrue();
    }
}
