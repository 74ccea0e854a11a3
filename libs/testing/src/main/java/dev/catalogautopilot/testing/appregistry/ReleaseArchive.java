package dev.catalogautopilot.testing.appregistry;

import dev.catalogautopilot.registry.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tar.gz of one release and its digest, the bare sha256 hex that CNR puts in {@code content.digest}.
 * Built reproducibly, so the same package content in the same form always gives the same digest.
 */
record ReleaseArchive(byte[] bytes, String digest) {

    static ReleaseArchive of(PackageManifest manifest, ArchiveForm form) {
        byte[] bytes = switch (form) {
            case NESTED -> nested(manifest);
            case FLATTENED -> new TarGzWriter()
                    .file("bundle.yaml", FlattenedBundle.render(manifest).getBytes(StandardCharsets.UTF_8))
                    .finish();
        };
        return new ReleaseArchive(bytes, Digest.sha256(bytes).hex());
    }

    long size() {
        return bytes.length;
    }

    private static byte[] nested(PackageManifest manifest) {
        String root = manifest.packageName();
        TarGzWriter tar = new TarGzWriter().directory(root);
        // The package file is renamed after the package, as operator-courier and the registry loader expect.
        Map<String, Path> children = new TreeMap<>();
        children.put(root + ".package.yaml", manifest.packageFile());
        for (Path versionDir : manifest.versionDirs()) {
            children.put(PackageManifest.name(versionDir), versionDir);
        }
        for (Map.Entry<String, Path> child : children.entrySet()) {
            String path = root + "/" + child.getKey();
            if (Files.isDirectory(child.getValue())) {
                tar.directory(path);
                for (Path file : PackageManifest.files(child.getValue())) {
                    tar.file(path + "/" + PackageManifest.name(file), read(file));
                }
            } else {
                tar.file(path, read(child.getValue()));
            }
        }
        return tar.finish();
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
