package dev.catalogautopilot.watcher.change;

import dev.catalogautopilot.events.catalog.PackageSnapshot;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one successful poll saw upstream. An App Registry namespace is seen as its packages; an index image as
 * its manifest digest. The revision is a stable hash of that content.
 */
public record UpstreamSnapshot(Map<String, PackageSnapshot> packages, String indexDigest) {

    public UpstreamSnapshot {
        packages = packages == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(packages));
    }

    public static UpstreamSnapshot ofPackages(List<PackageSnapshot> fingerprints) {
        Map<String, PackageSnapshot> byName = new TreeMap<>();
        fingerprints.forEach(f -> byName.put(f.name(), f));
        return new UpstreamSnapshot(byName, null);
    }

    public static UpstreamSnapshot ofIndexImage(String digest) {
        return new UpstreamSnapshot(Map.of(), digest);
    }

    /** For an index image the digest itself; for an App Registry a sha256 over every package fingerprint. */
    public String revision() {
        if (indexDigest != null) {
            return indexDigest;
        }
        StringBuilder canonical = new StringBuilder();
        packages.values().forEach(p -> canonical.append(p.name()).append('\u0000').append(p.defaultRelease())
                .append('\u0000').append(String.join(",", p.releases())).append('\u0000').append(p.digest())
                .append('\n'));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
