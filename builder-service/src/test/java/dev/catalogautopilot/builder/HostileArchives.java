package dev.catalogautopilot.builder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Release archives an attacker or a broken upload could produce, for the bad-input tests. */
final class HostileArchives {

    private HostileArchives() {
    }

    /** A valid nested-form package of {@code name} (one channel, one CSV) plus whatever {@code extra} adds. */
    static byte[] nestedPackage(String name, Consumer<TarArchiveOutputStream> extra) {
        String pkg = "packageName: " + name + "\nchannels:\n- name: stable\n  currentCSV: " + name + ".v1.0.0\n"
                + "defaultChannel: stable\n";
        String csv = "apiVersion: operators.coreos.com/v1alpha1\nkind: ClusterServiceVersion\nmetadata:\n  name: "
                + name + ".v1.0.0\nspec:\n  version: 1.0.0\n";
        return tarGz(tar -> {
            file(tar, name + "/" + name + ".package.yaml", pkg);
            file(tar, name + "/1.0.0/" + name + ".v1.0.0.clusterserviceversion.yaml", csv);
            extra.accept(tar);
        });
    }

    static Consumer<TarArchiveOutputStream> fileNamed(String path) {
        return tar -> file(tar, path, "kind: ConfigMap\n");
    }

    static Consumer<TarArchiveOutputStream> symlink(String path, String target) {
        return tar -> link(tar, path, target, TarArchiveEntry.LF_SYMLINK);
    }

    static Consumer<TarArchiveOutputStream> hardlink(String path, String target) {
        return tar -> link(tar, path, target, TarArchiveEntry.LF_LINK);
    }

    /** Many compressible files whose total passes {@code totalBytes}: a small download that unpacks huge. */
    static Consumer<TarArchiveOutputStream> inflating(int files, int bytesEach) {
        return tar -> {
            for (int i = 0; i < files; i++) {
                file(tar, "pkg/filler/f" + i + ".txt", "a".repeat(bytesEach));
            }
        };
    }

    /** A file of {@code path} holding {@code content}. */
    static Consumer<TarArchiveOutputStream> fileWith(String path, String content) {
        return tar -> file(tar, path, content);
    }

    /** One YAML file of {@code bytes} under {@code path}, and {@code links} hard links to it. */
    static Consumer<TarArchiveOutputStream> hardLinksTo(String path, int bytes, int links) {
        return tar -> {
            file(tar, path, "padding: \"" + "k".repeat(bytes - 12) + "\"\n");
            for (int i = 0; i < links; i++) {
                link(tar, path.substring(0, path.lastIndexOf('/') + 1) + "copy-" + i + ".yaml", path,
                        TarArchiveEntry.LF_LINK);
            }
        };
    }

    /**
     * A collection-alias bomb that stays under the alias limit: 7 levels of 7 aliases (49) over nine 100-character
     * strings, 9 * 7^6 (about a million) strings expanded, 100 MB.
     */
    static String quietAliasBomb() {
        StringBuilder yaml = new StringBuilder("a: &a [");
        for (int i = 0; i < 9; i++) {
            yaml.append(i == 0 ? "" : ", ").append("x".repeat(100));
        }
        yaml.append("]\n");
        for (char level = 'b'; level <= 'h'; level++) {
            yaml.append(level).append(": &").append(level).append(" [");
            for (int i = 0; i < 7; i++) {
                yaml.append(i == 0 ? "" : ", ").append('*').append((char) (level - 1));
            }
            yaml.append("]\n");
        }
        return yaml.toString();
    }

    /** One 1 KB string named by 20,000 scalar aliases: 20 MB expanded from a 120 KB file, no collection alias. */
    static String scalarAliasBomb() {
        return "big: &big \"" + "x".repeat(1000) + "\"\ncopies: [" + "*big, ".repeat(19_999) + "*big]\n";
    }

    /**
     * A tar.gz whose first entry is a GNU long-name header declaring {@code declared} bytes (1 KB of which follow):
     * a reader that buffers long names as declared allocates all of it.
     */
    static byte[] longNameHeader(long declared) {
        TarArchiveEntry entry = new TarArchiveEntry("././@LongLink",
                org.apache.commons.compress.archivers.tar.TarConstants.LF_GNUTYPE_LONGNAME, true);
        entry.setSize(declared);
        byte[] header = new byte[512];
        entry.writeEntryHeader(header);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(bytes)) {
            gz.write(header);
            gz.write(new byte[1024]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] tarGz(Consumer<TarArchiveOutputStream> content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            content.accept(tar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream tar, String path, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(path, true);
        entry.setSize(data.length);
        try {
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void link(TarArchiveOutputStream tar, String path, String target, byte type) {
        TarArchiveEntry entry = new TarArchiveEntry(path, type, true);
        entry.setLinkName(target);
        try {
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
