package dev.catalogautopilot.builder.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.builder.fbc.CatalogPackage;
import dev.catalogautopilot.builder.input.BadInputException;
import dev.catalogautopilot.builder.input.TarReader;
import dev.catalogautopilot.builder.manifest.PackageArchive;
import dev.catalogautopilot.builder.manifest.PackageManifestConverter;
import dev.catalogautopilot.builder.source.AppRegistryClient;
import dev.catalogautopilot.events.catalog.PackageSnapshot;
import java.io.ByteArrayInputStream;
import java.time.Instant;

/**
 * Fetches and converts one App Registry package into a cache entry: its FBC package, or the problem that keeps it
 * out. Transient failures are thrown, not cached.
 */
final class PackageFetch {

    private final TarReader tar;
    private final PackageArchive archive;
    private final PackageManifestConverter converter;
    private final ObjectMapper json;

    PackageFetch(TarReader tar, PackageArchive archive, PackageManifestConverter converter, ObjectMapper json) {
        this.tar = tar;
        this.archive = archive;
        this.converter = converter;
        this.json = json;
    }

    /** A fetched package: its cache entry, and the converted package unless the entry holds a problem. */
    record Fetched(PackageCacheEntry entry, CatalogPackage pkg) {
    }

    Fetched fetch(AppRegistryClient client, String source, String namespace, PackageSnapshot snapshot,
            Runnable progress) {
        PackageCacheEntry entry = new PackageCacheEntry();
        entry.id = PackageCacheEntry.key(source, snapshot.name());
        entry.digest = snapshot.digest();
        entry.cachedAt = Instant.now();
        String origin = "package " + snapshot.name() + " release " + snapshot.defaultRelease();
        CatalogPackage pkg = null;
        try {
            byte[] bytes = client.archive(namespace, snapshot.name(), snapshot.digest(), progress);
            var files = tar.read(new ByteArrayInputStream(bytes), "", origin).files();
            pkg = converter.convert(archive.parse(files, origin), snapshot.name());
            entry.content = json.writeValueAsString(pkg);
        } catch (BadInputException e) {
            entry.problem = e.getMessage().startsWith(origin) || e.getMessage().startsWith("package " + snapshot.name())
                    ? e.getMessage() : origin + ": " + e.getMessage();
            entry.problemKind = e.kind().name();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        progress.run();
        return new Fetched(entry, pkg);
    }
}
