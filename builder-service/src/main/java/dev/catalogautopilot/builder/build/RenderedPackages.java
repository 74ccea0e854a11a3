package dev.catalogautopilot.builder.build;

import dev.catalogautopilot.builder.fbc.CatalogPackage;
import dev.catalogautopilot.builder.fbc.FbcWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One catalog's rendered packages on disk, each {@code catalog.json} stored once under the sha256 of its bytes.
 * A file is written once and never touched again, so its path and modification time stay the same from build to
 * build: that is what lets jib reuse the cached layer of every group of unchanged packages. Losing the directory
 * costs only a re-render.
 */
final class RenderedPackages {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String SUFFIX = ".json";

    private final Path dir;

    RenderedPackages(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /** Renders {@code pkg} and returns the sha256 of its file; an identical file already stored is kept as is. */
    String write(CatalogPackage pkg, FbcWriter writer) throws IOException {
        Path temp = Files.createTempFile(dir, "rendering-", ".tmp");
        try {
            MessageDigest sha = sha256();
            try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(temp),
                    64 * 1024), sha)) {
                writer.write(pkg, out);
            }
            String digest = HexFormat.of().formatHex(sha.digest());
            Path target = path(digest);
            if (Files.exists(target)) {
                Files.delete(temp);
            } else {
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException e) {
                    Files.deleteIfExists(temp);
                }
            }
            return digest;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Whether the file of this digest is stored. */
    boolean has(String digest) {
        return digest != null && SHA256.matcher(digest).matches() && Files.isRegularFile(path(digest));
    }

    Path path(String digest) {
        if (!SHA256.matcher(digest).matches()) {
            throw new IllegalArgumentException("not a sha256 hex digest: " + digest);
        }
        return dir.resolve(digest + SUFFIX);
    }

    /** Deletes every file but those of {@code digests} (the last successful build's), and leftover temp files. */
    void retainOnly(Set<String> digests) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                String digest = name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : "";
                if (!digests.contains(digest)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
