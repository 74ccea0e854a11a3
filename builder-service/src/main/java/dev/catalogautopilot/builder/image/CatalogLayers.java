package dev.catalogautopilot.builder.image;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Spreads a catalog's packages over a fixed number of image layers, each package by a hash of its name alone, so a
 * package always lands in the same layer: a build where one package changed produces one new layer, and jib's
 * layer cache and the registry reuse all the others. Layers are in a fixed order and empty ones are left out.
 */
public final class CatalogLayers {

    /** The most layers a catalog image gets: runtimes limit the layers of an image (overlayfs to about 128). */
    public static final int MAX = 64;

    private CatalogLayers() {
    }

    /**
     * Groups {@code packages} (name to rendered file) into at most {@code count} layers.
     *
     * @return each non-empty layer, in layer order, as package name to file sorted by name
     */
    public static List<SortedMap<String, Path>> split(SortedMap<String, Path> packages, int count) {
        if (count < 1 || count > MAX) {
            throw new IllegalArgumentException("a catalog image has 1 to " + MAX + " catalog layers, not " + count);
        }
        Map<Integer, SortedMap<String, Path>> layers = new TreeMap<>();
        packages.forEach((name, file) -> layers.computeIfAbsent(layerOf(name, count), k -> new TreeMap<>())
                .put(name, file));
        return new ArrayList<>(layers.values());
    }

    /** The layer a package name goes to, of {@code count}. */
    static int layerOf(String packageName, int count) {
        byte[] hash = sha256(packageName);
        int value = ((hash[0] & 0xff) << 24) | ((hash[1] & 0xff) << 16) | ((hash[2] & 0xff) << 8) | (hash[3] & 0xff);
        return Integer.remainderUnsigned(value, count);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
