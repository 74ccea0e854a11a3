package dev.catalogautopilot.testing.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalRegistryRequestCountTest {

    @Test
    void aRegistryWithAnAccessLogCountsEveryApiRequest() throws InterruptedException {
        try (LocalRegistry registry = LocalRegistry.startWithAccessLog()) {
            long before = registry.requestCount();
            registry.client().pushBlob(registry.repository("count/me"), new byte[] {1, 2, 3});
            registry.client().hasBlob(registry.repository("count/me"),
                    dev.catalogautopilot.registry.Digest.sha256(new byte[] {1, 2, 3}));

            // pushBlob: HEAD, POST, PUT; hasBlob: HEAD. A line is written once its response is sent: allow a moment.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (registry.requestCount() - before < 4 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(registry.requestCount() - before).isEqualTo(4);
        }
    }

    @Test
    void aRegistryWithoutAnAccessLogCountsNothing() {
        try (LocalRegistry registry = LocalRegistry.start()) {
            registry.client().hasBlob(registry.repository("count/me"),
                    dev.catalogautopilot.registry.Digest.sha256(new byte[] {1}));
            assertThat(registry.requestCount()).isZero();
        }
    }
}
