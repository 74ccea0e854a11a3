package dev.catalogautopilot.mirror.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a plan's files as {@code oc adm catalog mirror} leaves them: {@code <dir>/<catalog>/<plan>/mapping.txt},
 * {@code imageContentSourcePolicy.yaml} and {@code imageDigestMirrorSet.yaml}. Each file is replaced atomically, so
 * a reader never sees half a file and rewriting after a redelivery is harmless.
 */
public final class ManifestFiles {

    public static final String MAPPING = "mapping.txt";
    public static final String ICSP = "imageContentSourcePolicy.yaml";
    public static final String IDMS = "imageDigestMirrorSet.yaml";

    private ManifestFiles() {
    }

    /** Writes the three files and returns their directory. */
    public static Path write(Path root, String catalog, String planId, MirrorPlan plan) {
        Path dir = root.resolve(MirrorSets.objectName(catalog)).resolve(planId);
        try {
            Files.createDirectories(dir);
            replace(dir.resolve(MAPPING), plan.mappingTxt());
            replace(dir.resolve(ICSP), plan.imageContentSourcePolicy());
            replace(dir.resolve(IDMS), plan.imageDigestMirrorSet());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifests of plan " + planId + " to " + dir, e);
        }
    }

    private static void replace(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
