package dev.catalogautopilot.builder;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** skopeo as the independent checker of pushed images: raw manifests, configs, and the catalog pulled back. */
final class Skopeo {

    private Skopeo() {
    }

    /** {@code skopeo inspect --raw}: the manifest exactly as stored. */
    static JsonNode raw(String image) {
        return json(run("inspect", "--raw", "--tls-verify=false", "docker://" + image));
    }

    /** {@code skopeo inspect --config}: the image config. */
    static JsonNode config(String image) {
        return json(run("inspect", "--config", "--tls-verify=false", "docker://" + image));
    }

    /** Copies one platform's image to a directory and unpacks its last layer (the catalog) with tar. */
    /** The image's root filesystem: every layer extracted in order, as a runtime would see it. */
    static Path pullFilesystem(String image) {
        try {
            Path dir = Files.createTempDirectory("pulled-");
            Path copy = dir.resolve("image");
            run("copy", "--src-tls-verify=false", "docker://" + image, "dir:" + copy);
            Path root = Files.createDirectories(dir.resolve("root"));
            for (String layer : layers(copy)) {
                exec(List.of("tar", "-xzf", copy.resolve(layer.substring("sha256:".length())).toString(), "-C",
                        root.toString()));
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The layer digests of a single-platform image, in order. */
    static List<String> layers(String image) {
        JsonNode manifest = raw(image);
        List<String> layers = new ArrayList<>();
        manifest.path("layers").forEach(l -> layers.add(l.path("digest").asText()));
        return layers;
    }

    private static List<String> layers(Path copy) throws IOException {
        List<String> layers = new ArrayList<>();
        CatalogView.JSON.readTree(copy.resolve("manifest.json").toFile()).path("layers")
                .forEach(l -> layers.add(l.path("digest").asText()));
        return layers;
    }

    private static String run(String... args) {
        List<String> command = new ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(args));
        return exec(command);
    }

    private static String exec(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(command + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return CatalogView.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
