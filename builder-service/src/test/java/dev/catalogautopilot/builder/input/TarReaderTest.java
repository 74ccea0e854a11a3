package dev.catalogautopilot.builder.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catalogautopilot.builder.input.BadInputException.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.DigestingInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
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

    @Test
    void countsEveryHardLinkCopyTowardTheUnpackedTotal() throws IOException {
        // 1,500 hard links to one 4 MB CSV: a 4 KB download that would unpack to 6 GB of copies.
        Tar tar = new Tar().file("pkg/1.0.0/pkg.clusterserviceversion.yaml", "k".repeat(4 * 1024 * 1024));
        for (int i = 0; i < 1500; i++) {
            tar.link("pkg/1.0.0/copy-" + i + ".yaml", "pkg/1.0.0/pkg.clusterserviceversion.yaml",
                    TarArchiveEntry.LF_LINK);
        }
        assertThatThrownBy(() -> new TarReader(InputLimits.DEFAULT).read(tar.gz(), "", "archive"))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE))
                .hasMessageContaining("archive unpacks to more than 268435456 bytes (link copies included)");
    }

    @Test
    void countsSkippedEntriesTowardTheDecompressedBudget() throws IOException {
        Tar outside = new Tar().file("configs/catalog.json", "{}");
        for (int i = 0; i < 30; i++) {
            outside.file("usr/bin/tool-" + i, "a".repeat(999));
        }
        TarReader budgeted = new TarReader(new InputLimits(10_000, 1000, 100, 50, 20, 20_000));
        assertThatThrownBy(() -> budgeted.read(outside.gz(), "configs", "layer"))
                .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE))
                .hasMessageContaining("layer is larger than the decompressed limit of 20000 bytes");
    }

    @Test
    void refusesAGnuLongNameOrPaxHeaderDeclaringGigabytesBeforeReadingIt() {
        long declared = 1536L * 1024 * 1024;
        for (byte type : new byte[] {TarConstants.LF_GNUTYPE_LONGNAME, TarConstants.LF_PAX_EXTENDED_HEADER_LC,
                TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER}) {
            assertThatThrownBy(() -> reader.read(headerOnly(type, declared), "", "archive"))
                    .isInstanceOfSatisfying(BadInputException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE))
                    .hasMessageContaining("archive: a long-name or PAX header declares 1610612736 bytes");
        }
    }

    @Test
    void readsToTheEndSoAVerifyingStreamBelowChecksEveryByte() throws IOException {
        // 64 KB of zeros after the tar's end, inside the gzip stream: the tar reader never needs them.
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(plain)) {
            byte[] data = "{}".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry("configs/catalog.json", true);
            entry.setSize(data.length);
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(gzipped)) {
            gz.write(plain.toByteArray());
            gz.write(new byte[64 * 1024]);
        }
        byte[] layer = gzipped.toByteArray();
        DigestingInputStream good = new DigestingInputStream(new ByteArrayInputStream(layer), Digest.sha256(layer));
        assertThat(reader.read(good, "configs", "layer").files()).containsOnlyKeys("catalog.json");
        assertThat(good.isComplete()).isTrue();

        byte[] damaged = layer.clone();
        damaged[damaged.length - 1] ^= 1; // in the gzip trailer: only the digest notices
        DigestingInputStream bad = new DigestingInputStream(new ByteArrayInputStream(damaged), Digest.sha256(layer));
        assertThatThrownBy(() -> reader.read(bad, "configs", "layer")).isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(DigestingInputStream.DigestMismatchException.class);
    }

    /** A gzip'd tar holding one header of {@code type} that declares {@code size} bytes, and 1 KB of them. */
    private static ByteArrayInputStream headerOnly(byte type, long size) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(type == TarConstants.LF_GNUTYPE_LONGNAME ? "././@LongLink"
                : "./PaxHeaders/x", type, true);
        entry.setSize(size);
        byte[] header = new byte[512];
        entry.writeEntryHeader(header);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(bytes)) {
            gz.write(header);
            gz.write(new byte[1024]);
        }
        return new ByteArrayInputStream(bytes.toByteArray());
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
            return new ByteArrayInputStream(bytes());
        }

        byte[] bytes() throws IOException {
            out.close();
            return bytes.toByteArray();
        }
    }
}
