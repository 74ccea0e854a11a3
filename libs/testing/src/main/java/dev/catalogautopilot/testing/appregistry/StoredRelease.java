package dev.catalogautopilot.testing.appregistry;

import java.time.Instant;

/** One release held by the fixture; its archive is built on first use and then kept. */
final class StoredRelease {

    private final String release;
    private final PackageManifest manifest;
    private final ArchiveForm form;
    private final Instant createdAt;
    private ReleaseArchive archive;

    StoredRelease(String release, PackageManifest manifest, ArchiveForm form, Instant createdAt) {
        this.release = release;
        this.manifest = manifest;
        this.form = form;
        this.createdAt = createdAt;
    }

    /** A release served as the given archive bytes, whatever they hold; {@code manifest} is what later releases copy. */
    StoredRelease(String release, PackageManifest manifest, byte[] archive, Instant createdAt) {
        this(release, manifest, ArchiveForm.NESTED, createdAt);
        this.archive = new ReleaseArchive(archive.clone(),
                dev.catalogautopilot.registry.Digest.sha256(archive).hex());
    }

    String release() {
        return release;
    }

    PackageManifest manifest() {
        return manifest;
    }

    Instant createdAt() {
        return createdAt;
    }

    synchronized ReleaseArchive archive() {
        if (archive == null) {
            archive = ReleaseArchive.of(manifest, form);
        }
        return archive;
    }

    PublishedRelease describe() {
        ReleaseArchive built = archive();
        return new PublishedRelease(manifest.packageName(), release, built.digest(), built.size(), createdAt);
    }
}
