package dev.catalogautopilot.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DigestTest {

    private static final String EMPTY = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void computesSha256() {
        assertThat(Digest.sha256(new byte[0]).value()).isEqualTo(EMPTY);
        assertThat(Digest.sha256("abc".getBytes(StandardCharsets.UTF_8)).hex())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void parsesStrictSha256() {
        Digest digest = Digest.parse(EMPTY);
        assertThat(digest.algorithm()).isEqualTo("sha256");
        assertThat(digest).hasToString(EMPTY);
        assertThat(Digest.isValid(EMPTY)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "sha256:",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555",
            "sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "sha256:../../../../etc/passwd0000000000000000000000000000000000000000000",
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n",
            " sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    })
    void rejectsAnythingElse(String value) {
        assertThat(Digest.isValid(value)).isFalse();
        assertThatThrownBy(() -> Digest.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 lowercase hex");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> Digest.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void digestingStreamVerifiesAtEof() throws IOException {
        byte[] content = "some blob content".getBytes(StandardCharsets.UTF_8);
        Digest expected = Digest.sha256(content);

        try (DigestingInputStream in = new DigestingInputStream(new ByteArrayInputStream(content), expected)) {
            assertThat(in.isComplete()).isFalse();
            assertThat(in.read()).isEqualTo('s');
            assertThat(in.skip(4)).isEqualTo(4);
            assertThat(in.readAllBytes()).hasSize(content.length - 5);
            assertThat(in.isComplete()).isTrue();
            assertThat(in.matches()).isTrue();
            assertThat(in.digest()).isEqualTo(expected);
            assertThat(in.bytesRead()).isEqualTo(content.length);
        }
    }

    @Test
    void digestingStreamFailsTheEofReadOnMismatch() {
        byte[] content = "tampered".getBytes(StandardCharsets.UTF_8);
        Digest expected = Digest.sha256("original".getBytes(StandardCharsets.UTF_8));
        DigestingInputStream in = new DigestingInputStream(new ByteArrayInputStream(content), expected);

        assertThatThrownBy(in::readAllBytes)
                .isInstanceOfSatisfying(DigestingInputStream.DigestMismatchException.class, e -> {
                    assertThat(e.expected()).isEqualTo(expected);
                    assertThat(e.actual()).isEqualTo(Digest.sha256(content));
                });
        assertThat(in.matches()).isFalse();
    }

    @Test
    void digestingStreamWithoutExpectationOnlyComputes() throws IOException {
        byte[] content = new byte[100_000];
        DigestingInputStream in = new DigestingInputStream(new ByteArrayInputStream(content));
        assertThatThrownBy(in::digest).isInstanceOf(IllegalStateException.class);
        in.readAllBytes();
        assertThat(in.digest()).isEqualTo(Digest.sha256(content));
        assertThat(in.matches()).isFalse();
    }
}
