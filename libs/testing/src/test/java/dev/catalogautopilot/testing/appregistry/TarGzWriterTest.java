package dev.catalogautopilot.testing.appregistry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TarGzWriterTest {

    @Test
    void longAndNonAsciiNamesSurviveAnIndependentReader() {
        String deep = "pkg/" + "v".repeat(60) + "/" + "f".repeat(90) + ".yaml";
        String longSegment = "pkg/" + "x".repeat(150) + ".yaml";
        String unicode = "pkg/größe-名前.yaml";

        byte[] archive = new TarGzWriter()
                .directory("pkg")
                .file(deep, bytes("deep"))
                .file(longSegment, bytes("long"))
                .file(unicode, bytes("unicode"))
                .finish();

        List<CnrTestClient.Entry> entries = CnrTestClient.untar(archive);
        assertThat(entries).extracting(CnrTestClient.Entry::name).containsExactly("pkg/", deep, longSegment, unicode);
        assertThat(entries).extracting(CnrTestClient.Entry::text).containsExactly("", "deep", "long", "unicode");
    }

    @Test
    void sameInputGivesSameBytesAndDifferentInputDifferentBytes() {
        byte[] first = new TarGzWriter().directory("a").file("a/b.yaml", bytes("x: 1\n")).finish();
        byte[] second = new TarGzWriter().directory("a").file("a/b.yaml", bytes("x: 1\n")).finish();
        byte[] changed = new TarGzWriter().directory("a").file("a/b.yaml", bytes("x: 2\n")).finish();

        assertThat(first).isEqualTo(second).isNotEqualTo(changed);
        // A tar is padded to whole 10 KiB records, as GNU tar and Python's tarfile write it.
        assertThat(CnrTestClient.untar(first)).hasSize(2);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
