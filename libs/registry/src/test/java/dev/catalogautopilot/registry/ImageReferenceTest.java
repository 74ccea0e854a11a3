package dev.catalogautopilot.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageReferenceTest {

    private static final String HEX = "8f1b5f1e5e2b8f8e0ad04c1bd5b5d0f6a6fd0f4d4b21f4f6b8d2c4a3f8d4e2a1";
    private static final Digest DIGEST = Digest.parse("sha256:" + HEX);

    @ParameterizedTest
    @CsvSource({
            "busybox,                                   docker.io, library/busybox,          latest",
            "busybox:1.36,                              docker.io, library/busybox,          1.36",
            "strimzi/operator:0.18.0,                   docker.io, strimzi/operator,         0.18.0",
            "docker.io/strimzi/operator,                docker.io, strimzi/operator,         latest",
            "index.docker.io/jboss/infinispan:1.0.Final, docker.io, jboss/infinispan,        1.0.Final",
            "registry-1.docker.io/library/redis:7,      docker.io, library/redis,            7",
            "quay.io/strimzi/operator:0.18.0,           quay.io,   strimzi/operator,         0.18.0",
            "localhost/app:dev,                         localhost, app,                      dev",
            "127.0.0.1:5000/a/b/c:v1,                   127.0.0.1:5000, a/b/c,               v1",
            "registry.example.com:8443/ns/app,          registry.example.com:8443, ns/app,   latest",
            "Example.com/app:v1,                        Example.com, app,                    v1",
            "quay.io/a__b/c-d.e_f:1.0.0-RC1,            quay.io,   a__b/c-d.e_f,             1.0.0-RC1",
    })
    void parsesTaggedReferences(String input, String registry, String repository, String tag) {
        ImageReference ref = ImageReference.parse(input);
        assertThat(ref.registry()).isEqualTo(registry);
        assertThat(ref.repository()).isEqualTo(repository);
        assertThat(ref.tag()).isEqualTo(tag);
        assertThat(ref.digest()).isNull();
        assertThat(ref.reference()).isEqualTo(tag);
    }

    @Test
    void parsesDigestReferences() {
        ImageReference byDigest = ImageReference.parse("quay.io/strimzi/kafka-bridge@sha256:" + HEX);
        assertThat(byDigest.tag()).isNull();
        assertThat(byDigest.digest()).isEqualTo(DIGEST);
        assertThat(byDigest.reference()).isEqualTo("sha256:" + HEX);
        assertThat(byDigest).hasToString("quay.io/strimzi/kafka-bridge@sha256:" + HEX);

        ImageReference both = ImageReference.parse("nginx:1.25@sha256:" + HEX);
        assertThat(both.registry()).isEqualTo("docker.io");
        assertThat(both.repository()).isEqualTo("library/nginx");
        assertThat(both.tag()).isEqualTo("1.25");
        assertThat(both.digest()).isEqualTo(DIGEST);
        assertThat(both.reference()).isEqualTo(DIGEST.value());
        assertThat(both).hasToString("docker.io/library/nginx:1.25@sha256:" + HEX);
    }

    @Test
    void canonicalFormRoundTrips() {
        for (String input : new String[] {"busybox", "org/name:tag", "127.0.0.1:5000/x/y@sha256:" + HEX,
                "quay.io/a/b:c@sha256:" + HEX}) {
            ImageReference ref = ImageReference.parse(input);
            assertThat(ImageReference.parse(ref.toString())).isEqualTo(ref);
        }
        assertThat(ImageReference.parse("busybox")).hasToString("docker.io/library/busybox:latest");
        assertThat(ImageReference.parse("org/name:tag")).hasToString("docker.io/org/name:tag");
    }

    @Test
    void derivesRelatedReferences() {
        ImageReference ref = ImageReference.parse("quay.io/strimzi/operator:0.18.0");

        assertThat(ref.withDigest(DIGEST)).hasToString("quay.io/strimzi/operator:0.18.0@sha256:" + HEX);
        assertThat(ref.withDigest(DIGEST).withoutTag()).hasToString("quay.io/strimzi/operator@sha256:" + HEX);
        assertThat(ref.withRegistry("127.0.0.1:5000")).hasToString("127.0.0.1:5000/strimzi/operator:0.18.0");
        assertThat(ref.withRegistry("index.docker.io").registry()).isEqualTo("docker.io");
        assertThat(ref.withTag("latest")).hasToString("quay.io/strimzi/operator:latest");
        assertThat(ref.withRepository("mirror/operator")).hasToString("quay.io/mirror/operator:0.18.0");
        assertThat(ref.name()).isEqualTo("quay.io/strimzi/operator");
        assertThat(ref.repositoryRef()).isEqualTo(new RepositoryRef("quay.io", "strimzi/operator"));
        assertThatThrownBy(ref::withoutTag).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            " ",
            "quay.io/Strimzi/operator:1",
            "UPPER:1",
            "quay.io/strimzi/operator:",
            "quay.io/strimzi/operator:-bad",
            "quay.io/strimzi/operator@sha256:abc",
            "quay.io/strimzi/operator@sha256:" + HEX + "0",
            "quay.io/strimzi/operator@md5:d41d8cd98f00b204e9800998ecf8427e",
            "quay.io//operator:1",
            "quay.io/strimzi/operator/:1",
            "quay.io/strimzi/op--:1",
            "quay.io/strimzi/op erator:1",
            " quay.io/strimzi/operator:1",
            "http://quay.io/strimzi/operator:1",
    })
    void rejectsInvalidReferences(String input) {
        assertThatThrownBy(() -> ImageReference.parse(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("null");
    }

    @Test
    void explainsWhatIsWrong() {
        assertThatThrownBy(() -> ImageReference.parse("quay.io/Strimzi/operator:1"))
                .hasMessageContaining("quay.io/Strimzi/operator:1").hasMessageContaining("lowercase");
        assertThatThrownBy(() -> ImageReference.parse("quay.io/x/y@sha256:1234"))
                .hasMessageContaining("Invalid image reference").hasMessageContaining("sha256");
        assertThatThrownBy(() -> ImageReference.parse("quay.io/x/y:" + "t".repeat(129)))
                .hasMessageContaining("Invalid tag");
        assertThatThrownBy(() -> new ImageReference("quay.io", "x/y", null, null))
                .hasMessageContaining("tag or a digest");
    }

    @Test
    void repositoryRefParsesNamesWithoutTags() {
        assertThat(RepositoryRef.parse("quay.io/strimzi/operator")).isEqualTo(new RepositoryRef("quay.io", "strimzi/operator"));
        assertThat(RepositoryRef.parse("busybox")).isEqualTo(new RepositoryRef("docker.io", "library/busybox"));
        assertThat(RepositoryRef.parse("127.0.0.1:5000/ns/app")).hasToString("127.0.0.1:5000/ns/app");
        assertThat(RepositoryRef.of("127.0.0.1:5000", "ns/app").tag("v1")).hasToString("127.0.0.1:5000/ns/app:v1");
        assertThat(RepositoryRef.of("127.0.0.1:5000", "ns/app").digest(DIGEST)).hasToString("127.0.0.1:5000/ns/app@" + DIGEST);
        assertThatThrownBy(() -> RepositoryRef.parse("quay.io/strimzi/operator:1")).hasMessageContaining("tag or digest");
        assertThatThrownBy(() -> RepositoryRef.parse("quay.io/strimzi/operator@" + DIGEST)).hasMessageContaining("tag or digest");
        assertThatThrownBy(() -> RepositoryRef.of("quay.io", "Bad")).isInstanceOf(IllegalArgumentException.class);
    }
}
