package dev.catalogautopilot.builder.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.catalogautopilot.builder.build.TransientFailure;
import dev.catalogautopilot.builder.fbc.Catalog;
import dev.catalogautopilot.builder.fbc.CatalogPackage;
import dev.catalogautopilot.builder.fbc.FbcReader;
import dev.catalogautopilot.builder.input.BadInputException;
import dev.catalogautopilot.builder.input.InputLimits;
import dev.catalogautopilot.builder.input.SafeYaml;
import dev.catalogautopilot.builder.input.TarReader;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.ImageReference;
import dev.catalogautopilot.registry.RegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The reader against a registry on a loopback port that serves what each test puts in {@link #blobs}. */
class IndexImageReaderTest {

    private static final String FBC = """
            {"schema":"olm.package","name":"foo","defaultChannel":"stable"}
            {"schema":"olm.channel","name":"stable","package":"foo","entries":[{"name":"foo.v1"}]}
            {"schema":"olm.bundle","name":"foo.v1","package":"foo","image":"quay.io/x/foo:1",\
            "properties":[{"type":"olm.package","value":{"packageName":"foo","version":"1.0.0"}}]}
            """;

    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile String stallAfterHalfOf;
    private HttpServer server;
    private RegistryClient registry;
    private String host;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/v2/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String digest = path.substring(path.lastIndexOf('/') + 1);
            byte[] body = blobs.get(digest);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            if (path.contains("/manifests/")) {
                exchange.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (digest.equals(stallAfterHalfOf)) {
                    out.write(body, 0, body.length / 2);
                    out.flush();
                    released.await(); // headers and half the body, then nothing
                }
                out.write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        host = "127.0.0.1:" + server.getAddress().getPort();
        registry = RegistryClient.builder().insecureRegistries(List.of(host)).maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        released.countDown();
        server.stop(0);
    }

    @Test
    void readsTheCatalogOfALayerThatMatchesItsDigest() {
        byte[] layer = layer(FBC, 0);
        Catalog catalog = reader().read(image(layer, layer));
        assertThat(catalog.packages()).extracting(CatalogPackage::name).containsExactly("foo");
    }

    @Test
    void refusesALayerWhoseBytesPastTheTarEndDoNotMatchItsDigest() {
        byte[] layer = layer(FBC, 64 * 1024);
        byte[] served = layer.clone();
        served[served.length - 1] ^= 1; // the tar reader never needs this byte; only the digest sees it
        assertThatThrownBy(() -> reader().read(image(layer, served)))
                .isInstanceOfSatisfying(BadInputException.class,
                        e -> assertThat(e.kind()).isEqualTo(BadInputException.Kind.CORRUPT_ARCHIVE))
                .hasMessageContaining("Digest mismatch");
    }

    @Test
    @Timeout(30)
    void aLayerThatStallsMidBodyFailsTheAttemptAfterTheIdleTimeout() {
        byte[] layer = layer(FBC, 256 * 1024);
        ImageReference image = image(layer, layer);
        stallAfterHalfOf = Digest.sha256(layer).value();
        assertThatThrownBy(() -> reader().read(image)).isInstanceOf(TransientFailure.class)
                .hasMessageContaining("no data for 300 ms (idle timeout)");
    }

    private IndexImageReader reader() {
        return new IndexImageReader(registry, new TarReader(InputLimits.DEFAULT),
                new FbcReader(new SafeYaml(InputLimits.DEFAULT)), Duration.ofMillis(300), () -> { });
    }

    /** Serves a one-layer image whose manifest names {@code layer}'s digest but whose blob is {@code served}. */
    private ImageReference image(byte[] layer, byte[] served) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\""
                + IndexImageReader.CONFIGS_LABEL + "\":\"/configs\"}}}").getBytes(StandardCharsets.UTF_8);
        Digest layerDigest = Digest.sha256(layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + Digest.sha256(config) + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layerDigest + "\",\"size\":"
                + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        blobs.put(Digest.sha256(config).value(), config);
        blobs.put(layerDigest.value(), served);
        blobs.put(Digest.sha256(manifest).value(), manifest);
        return ImageReference.parse(host + "/index@" + Digest.sha256(manifest));
    }

    /** A gzip'd layer with {@code configs/foo/catalog.json}, and {@code padding} zero bytes after the tar's end. */
    private static byte[] layer(String fbc, int padding) {
        try {
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(plain)) {
                byte[] data = fbc.getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry("configs/foo/catalog.json");
                entry.setSize(data.length);
                tar.putArchiveEntry(entry);
                tar.write(data);
                tar.closeArchiveEntry();
            }
            ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
            try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(gzipped)) {
                gz.write(plain.toByteArray());
                gz.write(new byte[padding]);
            }
            return gzipped.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
