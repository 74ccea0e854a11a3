package dev.catalogautopilot.testing.appregistry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A package in package-manifest layout: one {@code <x>.package.yaml} and one directory per version holding CSV,
 * CRD and other manifests. Other files beside the package file (such as {@code ci.yaml}) are not part of it.
 *
 * @param channelHeads channel name to {@code currentCSV}, in file order
 */
record PackageManifest(Path dir, Path packageFile, String packageName, String defaultChannel,
                       Map<String, String> channelHeads, List<Path> versionDirs) {

    static PackageManifest read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Not a package directory: " + dir);
        }
        List<Path> packageFiles = list(dir).stream()
                .filter(Files::isRegularFile)
                .filter(p -> name(p).endsWith(".package.yaml") || name(p).endsWith(".package.yml"))
                .toList();
        if (packageFiles.size() != 1) {
            throw new IllegalArgumentException("Expected exactly one <name>.package.yaml in " + dir + ", found "
                    + packageFiles.stream().map(PackageManifest::name).toList());
        }
        Path packageFile = packageFiles.get(0);
        JsonNode doc = YamlDocuments.read(packageFile);
        String packageName = doc.path("packageName").asText("");
        if (packageName.isEmpty()) {
            throw new IllegalArgumentException(packageFile + " has no packageName");
        }
        Map<String, String> heads = new LinkedHashMap<>();
        for (JsonNode channel : doc.path("channels")) {
            heads.put(channel.path("name").asText(), channel.path("currentCSV").asText());
        }
        String defaultChannel = doc.path("defaultChannel").asText("");
        if (defaultChannel.isEmpty() && heads.size() == 1) {
            // OLM treats the only channel as the default one.
            defaultChannel = heads.keySet().iterator().next();
        }
        List<Path> versionDirs = list(dir).stream()
                .filter(Files::isDirectory)
                .filter(p -> !name(p).startsWith("."))
                .toList();
        return new PackageManifest(dir, packageFile, packageName, defaultChannel, Map.copyOf(heads), versionDirs);
    }

    /** The {@code currentCSV} of the default channel. */
    Optional<String> defaultHead() {
        return Optional.ofNullable(channelHeads.get(defaultChannel)).filter(s -> !s.isEmpty());
    }

    /** The regular files of one version directory, sorted by name. */
    static List<Path> files(Path versionDir) {
        return list(versionDir).stream()
                .filter(Files::isRegularFile)
                .filter(p -> !name(p).startsWith("."))
                .toList();
    }

    static String name(Path path) {
        return path.getFileName().toString();
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted((a, b) -> name(a).compareTo(name(b))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }
}
