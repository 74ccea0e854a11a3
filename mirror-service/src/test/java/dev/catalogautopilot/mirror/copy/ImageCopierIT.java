package dev.catalogautopilot.mirror.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.RegistryFailures;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.RegistryClient;
import dev.catalogautopilot.registry.RegistryException;
import dev.catalogautopilot.testing.proxy.RegistryProxy;
import dev.catalogautopilot.testing.registry.LocalRegistry;
import dev.catalogautopilot.testing.upstream.ImagePusher;
import dev.catalogautopilot.testing.upstream.PushedImage;
import dev.catalogautopilot.testing.upstream.SyntheticImages;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The copy engine against two real registries: exact digests, whole indexes, skips, mounts, corruption, flakiness. */
class ImageCopierIT {

    private static LocalRegistry upstream;
    private static LocalRegistry mirror;
    private static ExecutorService pool;
    private static ImagePusher pusher;

    @BeforeAll
    static void start() {
        upstream = LocalRegistry.start();
        mirror = LocalRegistry.start();
        pool = Executors.newFixedThreadPool(8);
        pusher = new ImagePusher(upstream.client());
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        upstream.close();
        mirror.close();
    }

    private static RegistryClient client() {
        return RegistryClient.builder().insecure(host -> host.startsWith("127.0.0.1:")).maxRetries(6)
                .backoffBase(java.time.Duration.ofMillis(20)).build();
    }

    private static ImageCopier copier(BlobLedger ledger) {
        return new ImageCopier(client(), ledger, pool, 4);
    }

    @Test
    void copiesAMultiArchIndexWholeWithTheSameDigestThenSkipsIt() {
        PushedImage image = pusher.pushIndex(upstream.image("copy/multi:1"),
                List.of(SyntheticImages.generate("multi-a").get(0), SyntheticImages.generate("multi-b").get(0)));
        ImageCopier copier = copier(new BlobLedger(BlobLocations.NONE));
        ImageReference target = mirror.image("copy/multi:" + image.digest().hex());

        CopyResult first = copier.copy(image.pinned(), target);

        assertThat(first.skipped()).isFalse();
        assertThat(first.digest()).isEqualTo(image.digest());
        assertThat(mirror.client().resolve(target).digest()).isEqualTo(image.digest());
        assertThat(mirror.client().getManifest(target).bytes())
                .isEqualTo(upstream.client().getManifest(image.pinned()).bytes());
        for (Digest platform : image.platformManifests().values()) {
            assertThat(mirror.client().hasManifest(target.repositoryRef().digest(platform))).isTrue();
        }
        assertThat(first.stats().blobsCopied()).isEqualTo(image.blobs().size());
        assertThat(first.stats().manifests()).isEqualTo(3);

        CopyResult again = copier(new BlobLedger(BlobLocations.NONE)).copy(image.pinned(), target);
        assertThat(again.skipped()).isTrue();
        assertThat(again.stats().blobsCopied()).isZero();
    }

    @Test
    void mountsABlobTheTargetRegistryHoldsInAnotherRepository() {
        var layers = SyntheticImages.generate("shared-base").get(0);
        PushedImage a = pusher.push(upstream.image("copy/a:1"), layers);
        PushedImage b = pusher.push(upstream.image("copy/b:1"), layers);
        BlobLedger ledger = new BlobLedger(BlobLocations.NONE);

        copier(ledger).copy(a.pinned(), mirror.image("copy/a:1"));
        CopyResult second = copier(ledger).copy(b.pinned(), mirror.image("copy/b:1"));

        assertThat(second.stats().blobsCopied()).isZero();
        assertThat(second.stats().blobsMounted()).isEqualTo(b.blobs().size());
        assertThat(mirror.client().resolve(mirror.image("copy/b:1")).digest()).isEqualTo(b.digest());
    }

    @Test
    void aCorruptedBlobFailsWithADigestMismatchAndNoManifestAppears() {
        PushedImage image = pusher.push(upstream.image("copy/corrupt:1"), SyntheticImages.generate("corrupt").get(0));
        Digest layer = image.blobs().get(image.blobs().size() - 1);
        try (RegistryProxy proxy = RegistryProxy.start(upstream.url()).corruptBlob(layer)) {
            ImageReference source = ImageReference.of(proxy.host(), "copy/corrupt", image.digest());
            ImageReference target = mirror.image("copy/corrupt:1");

            assertThatThrownBy(() -> copier(new BlobLedger(BlobLocations.NONE)).copy(source, target))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("Digest mismatch")
                    .satisfies(e -> assertThat(RegistryFailures.isDigestMismatch(e)).isTrue())
                    .satisfies(e -> assertThat(RegistryFailures.isPermanent(e)).isTrue());
            assertThat(proxy.corruptedResponses()).isPositive();
            assertThat(mirror.client().hasManifest(target)).isFalse();
            assertThat(mirror.client().hasManifest(target.repositoryRef().digest(image.digest()))).isFalse();
            assertThat(mirror.client().hasBlob(target.repositoryRef(), layer)).isFalse();
        }
    }

    @Test
    void largeBlobsStreamOverSocketsAndACorruptedOneIsStillCaught() {
        byte[] big = new byte[6 << 20];
        new java.util.Random(6).nextBytes(big);
        var image = new dev.catalogautopilot.testing.upstream.PlatformImage(
                SyntheticImages.generate("big").get(0).config(),
                List.of(dev.catalogautopilot.testing.upstream.Layer.ofFile("big.bin", big)));
        PushedImage pushed = pusher.push(upstream.image("copy/big:1"), image);
        Digest layer = pushed.blobs().get(pushed.blobs().size() - 1);

        CopyResult copied = copier(new BlobLedger(BlobLocations.NONE)).copy(pushed.pinned(), mirror.image("copy/big:1"));
        assertThat(copied.stats().bytesCopied()).isGreaterThan(6L << 20);
        assertThat(mirror.client().resolve(mirror.image("copy/big:1")).digest()).isEqualTo(pushed.digest());

        try (RegistryProxy proxy = RegistryProxy.start(upstream.url()).corruptBlob(layer)) {
            ImageReference source = ImageReference.of(proxy.host(), "copy/big", pushed.digest());
            ImageReference target = mirror.image("copy/big-corrupt:1");
            assertThatThrownBy(() -> copier(new BlobLedger(BlobLocations.NONE)).copy(source, target))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("Digest mismatch")
                    .satisfies(e -> assertThat(RegistryFailures.isDigestMismatch(e)).isTrue());
            assertThat(mirror.client().hasBlob(target.repositoryRef(), layer)).isFalse();
            assertThat(mirror.client().hasManifest(target)).isFalse();
        }
        try (RegistryProxy proxy = RegistryProxy.start(upstream.url()).failRandomly(0.3, 3)) {
            ImageReference source = ImageReference.of(proxy.host(), "copy/big", pushed.digest());
            CopyResult result = copier(new BlobLedger(BlobLocations.NONE)).copy(source, mirror.image("copy/big-flaky:1"));
            assertThat(result.digest()).isEqualTo(pushed.digest());
            assertThat(proxy.injectedFailures()).isPositive();
        }
    }

    @Test
    void completesThroughAnUpstreamFailingOneRequestInFive() {
        PushedImage image = pusher.pushIndex(upstream.image("copy/flaky:1"), List.of(
                SyntheticImages.generate("flaky-a").get(0), SyntheticImages.generate("flaky-b").get(0)));
        try (RegistryProxy proxy = RegistryProxy.start(upstream.url()).failRandomly(0.2, 7)) {
            ImageReference source = ImageReference.of(proxy.host(), "copy/flaky", image.digest());

            CopyResult result = copier(new BlobLedger(BlobLocations.NONE)).copy(source, mirror.image("copy/flaky:1"));

            assertThat(result.digest()).isEqualTo(image.digest());
            assertThat(proxy.injectedFailures()).isPositive();
            assertThat(mirror.client().resolve(mirror.image("copy/flaky:1")).digest()).isEqualTo(image.digest());
        }
    }
}
