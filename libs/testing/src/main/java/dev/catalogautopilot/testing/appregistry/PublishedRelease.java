package dev.catalogautopilot.testing.appregistry;

import java.time.Instant;

/**
 * One release of a package as the fixture serves it.
 *
 * @param packageName the CNR package name without namespace, e.g. {@code etcd}
 * @param release     the release, e.g. {@code 1.0.1}
 * @param digest      the bare sha256 hex of the tar.gz, as CNR's {@code content.digest} carries it
 * @param size        the tar.gz size in bytes
 * @param createdAt   when the release was published
 */
public record PublishedRelease(String packageName, String release, String digest, long size, Instant createdAt) {
}
