package dev.catalogautopilot.testing.appregistry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** A plain HTTP client for the fixture's CNR API, plus an independent tar reader for its archives. */
final class CnrTestClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String baseUrl;
    private final String token;

    CnrTestClient(String baseUrl) {
        this(baseUrl, null);
    }

    private CnrTestClient(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    CnrTestClient withToken(String newToken) {
        return new CnrTestClient(baseUrl, newToken);
    }

    /** GETs {@code path} relative to the base URL. */
    HttpResponse<byte[]> get(String path) {
        return send(request(path).GET());
    }

    HttpResponse<byte[]> post(String path, String body) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"));
    }

    /** POSTs to an absolute URL, for the admin endpoint. */
    HttpResponse<byte[]> postAbsolute(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** GETs {@code path} and returns its JSON, asserting status 200. */
    JsonNode getJson(String path) {
        HttpResponse<byte[]> response = get(path);
        assertThat(response.statusCode()).as("GET %s: %s", path, text(response)).isEqualTo(200);
        return json(response);
    }

    /** Downloads an archive, asserting status 200. */
    byte[] download(String path) {
        HttpResponse<byte[]> response = get(path);
        assertThat(response.statusCode()).as("GET %s: %s", path, text(response)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-gzip");
        return response.body();
    }

    static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(HttpResponse<byte[]> response) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code GET rawPath} byte for byte, so no client normalises it, and returns the status code. */
    static int rawGetStatus(int port, String rawPath) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder statusLine = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                statusLine.append((char) c);
            }
            return Integer.parseInt(statusLine.toString().split(" ")[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One tar entry as an independent reader (commons-compress) sees it. */
    record Entry(String name, boolean directory, byte[] content, TarArchiveEntry header) {
        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    static List<Entry> untar(byte[] tarGz) {
        List<Entry> entries = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new GZIPInputStream(new ByteArrayInputStream(tarGz)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                entries.add(new Entry(entry.getName(), entry.isDirectory(), tar.readAllBytes(), entry));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    static List<Entry> regularFiles(byte[] tarGz) {
        return untar(tarGz).stream().filter(e -> !e.directory()).toList();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            builder.header("Authorization", token);
        }
        return builder;
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
