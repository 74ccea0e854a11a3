package dev.catalogautopilot.testing.appregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each injected fault, seen through HTTP. */
class FaultsTest {

    private static final String NS = FixtureAppRegistry.DEFAULT_NAMESPACE;
    private static final String LISTING = "/api/v1/packages?namespace=" + NS + "&media_type=helm";

    private static FixtureAppRegistry registry;
    private static CnrTestClient client;

    @BeforeAll
    static void start() {
        registry = FixtureAppRegistry.builder().start();
        client = new CnrTestClient(registry.baseUrl());
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @AfterEach
    void clearFaults() {
        registry.faults().clear();
    }

    @Test
    void malformedJsonListingLastsUntilCleared() {
        registry.faults().listing(Fault.MALFORMED_JSON);

        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> response = client.get(LISTING);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThatThrownBy(() -> CnrTestClient.JSON.readTree(response.body()))
                    .isInstanceOf(JsonProcessingException.class);
        }
        registry.faults().clear();
        assertThat(client.getJson(LISTING)).hasSize(25);
    }

    @Test
    void statusOnceFailsOnlyTheNextListing() {
        registry.faults().listingOnce(Fault.status(503));

        HttpResponse<byte[]> failed = client.get(LISTING);
        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(failed.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(CnrTestClient.json(failed).path("error").path("code").asText()).isNotEmpty();
        assertThat(client.get(LISTING).statusCode()).isEqualTo(200);
    }

    @Test
    void persistentStatusRepeatsAndOneShotFaultsComeFirst() {
        registry.faults().listing(Fault.status(500)).listingOnce(Fault.MALFORMED_JSON);

        HttpResponse<byte[]> first = client.get(LISTING);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> CnrTestClient.JSON.readTree(first.body())).isInstanceOf(JsonProcessingException.class);
        assertThat(client.get(LISTING).statusCode()).isEqualTo(500);
        assertThat(client.get(LISTING).statusCode()).isEqualTo(500);
    }

    @Test
    void oversizedListingIsValidJsonOfSeveralMebibytes() {
        int size = 6 * 1024 * 1024;
        registry.faults().listing(Fault.oversized(size));

        HttpResponse<byte[]> response = client.get(LISTING);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().length).isGreaterThanOrEqualTo(size);
        JsonNode listing = CnrTestClient.json(response);
        assertThat(listing).hasSize(25);
        assertThat(listing.get(0).path("default").asText()).isEqualTo("1.0.0");
    }

    @Test
    void missingBlobKeepsTheDigestInTheMetadataButAnswers404() {
        registry.faults().missingBlob("etcd");
        String digest = registry.latest("etcd").digest();

        assertThat(client.getJson(LISTING)).extracting(p -> p.path("name").asText()).contains(NS + "/etcd");
        assertThat(client.getJson("/api/v1/packages/" + NS + "/etcd/1.0.0/helm").path("content").path("digest")
                .asText()).isEqualTo(digest);
        HttpResponse<byte[]> blob = client.get("/api/v1/packages/" + NS + "/etcd/blobs/sha256/" + digest);
        assertThat(blob.statusCode()).isEqualTo(404);
        assertThat(CnrTestClient.json(blob).path("error").path("code").asText()).isEqualTo("package-not-found");
        assertThat(client.get("/api/v1/packages/" + NS + "/etcd/1.0.0/helm/pull").statusCode()).isEqualTo(404);
        String jaeger = registry.latest("jaeger").digest();
        assertThat(client.get("/api/v1/packages/" + NS + "/jaeger/blobs/sha256/" + jaeger).statusCode()).isEqualTo(200);
    }

    @Test
    void corruptBlobNoLongerMatchesItsDigest() {
        registry.faults().corruptBlob("etcd");
        PublishedRelease etcd = registry.latest("etcd");

        byte[] served = client.download("/api/v1/packages/" + NS + "/etcd/blobs/sha256/" + etcd.digest());

        assertThat((long) served.length).isEqualTo(etcd.size());
        assertThat(CnrTestClient.sha256(served)).isNotEqualTo(etcd.digest());
    }

    @Test
    void statusCanTargetAnyEndpoint() {
        registry.faults().once(CnrEndpoint.BLOB, Fault.status(429));
        String digest = registry.latest("etcd").digest();
        String path = "/api/v1/packages/" + NS + "/etcd/blobs/sha256/" + digest;

        assertThat(client.get(path).statusCode()).isEqualTo(429);
        assertThat(client.get(path).statusCode()).isEqualTo(200);
    }

    @Test
    void delaySlowsTheAnswerDown() {
        registry.faults().listingOnce(Fault.delay(Duration.ofMillis(400)));

        long start = System.nanoTime();
        HttpResponse<byte[]> response = client.get(LISTING);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void jsonFaultsCannotTargetArchives() {
        assertThatThrownBy(() -> registry.faults().on(CnrEndpoint.BLOB, Fault.MALFORMED_JSON))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.status(200)).isInstanceOf(IllegalArgumentException.class);
    }
}
