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
