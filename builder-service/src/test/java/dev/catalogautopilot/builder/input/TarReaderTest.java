package dev.catalogautopilot.builder.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catalogautopilot.builder.input.BadInputException.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;

class TarReaderTest {

    private final TarReader reader = new TarReader(new InputLimits(10_000, 1000, 5, 50, 20));

    @Test
    void readsRegularFilesBelowTheRootAndResolvesInnerLinks() throws IOException {
        Tar tar = new Tar().file("configs/a/catalog.json", "{}").file("other/x", "skip")
                .link("configs/b.json", "a/catalog.json", TarArchiveEntry.LF_SYMLINK)
                .file("configs/a/.wh.gone.json", "");
        TarReader.Contents contents = reader.read(tar.gz(), "configs", "layer");
        assertThat(contents.files()).containsOnlyKeys("a/catalog.json", "b.json");
        assertThat(new String(contents.files().get("b.json"), StandardCharsets.UTF_8)).isEqualTo("{}");
        assertThat(contents.whiteouts()).containsExactly("a/.wh.gone.json");
    }

    @Test
    void refusesPathsThatLeaveTheRoot() {
        assertThatThrownBy(() -> reader.read(new Tar().file("pkg/../../evil", "x").gz(), "", "archive"))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.kind()).isEqualTo(Kind.PATH_ESCAPE))
                .hasMessageContaining("leaves the archive root");
        assertThatThrownBy(() -> reader.read(new Tar().file("/etc/passwd", "x").gz(), "", "archive"))
                .hasMessageContaining("absolute path");
    }

    @Test
    void refusesLinksThatLeaveTheRoot() {
        assertThatThrownBy(() -> reader.read(new Tar().link("pkg/a", "../../x", TarArchiveEntry.LF_SYMLINK).gz(), "",
                "archive")).hasMessageContaining("link pkg/a -> ../../x points outside the archive root");
        assertThatThrownBy(() -> reader.read(new Tar().link("pkg/a", "/etc/shadow", TarArchiveEntry.LF_SYMLINK).gz(),
                "", "archive")).hasMessageContaining("points outside");
        assertThatThrownBy(() -> reader.read(new Tar().link("pkg/a", "../x", TarArchiveEntry.LF_LINK).gz(), "",
                "archive")).hasMessageContaining("points outside");
        assertThatThrownBy(() -> reader.read(new Tar().link("configs/a", "../etc/x", TarArchiveEntry.LF_SYMLINK).gz(),
                "configs", "layer")).hasMessageContaining("points outside");
    }

    @Test
    void enforcesTheLimits() throws IOException {
        assertThatThrownBy(() -> reader.read(new Tar().file("big", "x".repeat(2000)).gz(), "", "archive"))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE))
                .hasMessageContaining("over the document limit");
        Tar many = new Tar();
        for (int i = 0; i < 6; i++) {
            many.file("f" + i, "x");
        }
        assertThatThrownBy(() -> reader.read(many.gz(), "", "archive")).hasMessageContaining("more than 5 entries");
        Tar inflating = new Tar();
        for (int i = 0; i < 5; i++) {
            inflating.file("f" + i, "a".repeat(999));
        }
        TarReader small = new TarReader(new InputLimits(3000, 1000, 100, 50, 20));
        assertThatThrownBy(() -> small.read(inflating.gz(), "", "archive")).hasMessageContaining("unpacks to more than");
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream("not a tar".getBytes()), "", "archive"))
                .isInstanceOfSatisfying(BadInputException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.CORRUPT_ARCHIVE));
    }

    /** Builds small test archives. */
    static final class Tar {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream out;

        Tar() {
            try {
                out = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        Tar file(String name, String content) throws IOException {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry(name, true);
            entry.setSize(data.length);
            out.putArchiveEntry(entry);
            out.write(data);
            out.closeArchiveEntry();
            return this;
        }

        Tar link(String name, String target, byte type) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
            entry.setLinkName(target);
            out.putArchiveEntry(entry);
            out.closeArchiveEntry();
            return this;
        }

        ByteArrayInputStream gz() throws IOException {
            out.close();
            return new ByteArrayInputStream(bytes.toByteArray());
        }
    }
}
