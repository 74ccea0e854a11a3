package dev.catalogautopilot.builder.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.builder.build.BuildFailure;
import dev.catalogautopilot.builder.build.TransientFailure;
import dev.catalogautopilot.builder.input.BadInputException;
import dev.catalogautopilot.registry.Digest;
import dev.catalogautopilot.registry.IdleTimeoutInputStream;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Downloads package release archives from one App Registry by content digest, verified against it, with the
 * configured token (or a login token) in {@code Authorization}. Never shows the token.
 */
public final class AppRegistryClient {

    private static final Pattern HEX = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AppRegistryApi api;
    private final String baseUrl;
    private final String token;
    private final String username;
    private final String password;
    private final long maxBytes;
    private final Duration idleTimeout;
    private volatile String loginToken;

    /**
     * @param credentialsFile a bare token, or JSON {"username","password"}; absent for anonymous access
     * @param idleTimeout     longest wait for the next bytes of an answer's body
     */
    public AppRegistryClient(String baseUrl, Path credentialsFile, long maxBytes, Duration idleTimeout) {
        this.baseUrl = baseUrl;
        this.maxBytes = maxBytes;
        this.idleTimeout = idleTimeout;
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(baseUrl))
                .connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(120, TimeUnit.SECONDS)
                .build(AppRegistryApi.class);
        String text = credentialsFile == null ? null : read(credentialsFile);
        if (text != null && text.startsWith("{")) {
            try {
                JsonNode node = JSON.readTree(text);
                this.username = node.path("username").asText(null);
                this.password = node.path("password").asText(null);
                this.token = null;
            } catch (IOException e) {
                throw new BuildFailure("App Registry credentials file " + credentialsFile + " is not valid JSON");
            }
        } else {
            this.token = text;
            this.username = null;
            this.password = null;
        }
    }

    /**
     * The release archive of {@code pkg} whose sha256 is {@code digest} ({@code sha256:<hex>} or bare hex);
     * {@code progress} is told as bytes arrive.
     */
    public byte[] archive(String namespace, String pkg, String digest, Runnable progress) {
        String hex = digest == null ? "" : digest.startsWith("sha256:") ? digest.substring(7) : digest;
        if (!HEX.matcher(hex).matches() || !NAME.matcher(pkg).matches()) {
            throw new BadInputException(BadInputException.Kind.CORRUPT_ARCHIVE, "package " + pkg
                    + " has an invalid name or content digest '" + digest + "'");
        }
        String what = "archive sha256:" + hex + " of " + namespace + "/" + pkg;
        byte[] bytes;
        try (InputStream in = new IdleTimeoutInputStream(call(what, () -> api.blob(namespace, pkg, hex,
                authorization())), idleTimeout, what, progress)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (IOException e) {
            throw new TransientFailure(what + ": " + e.getMessage(), e);
        }
        if (bytes.length > maxBytes) {
            throw new BadInputException(BadInputException.Kind.TOO_LARGE, what + " is larger than the archive limit of "
                    + maxBytes + " bytes");
        }
        String actual = Digest.sha256(bytes).hex();
        if (!actual.equals(hex)) {
            throw new BadInputException(BadInputException.Kind.CORRUPT_ARCHIVE, what
                    + " does not match its digest (got sha256:" + actual + ")");
        }
        return bytes;
    }

    private String authorization() {
        if (token != null) {
            return token;
        }
        if (username == null || password == null) {
            return null;
        }
        if (loginToken == null) {
            String body;
            try {
                body = JSON.writeValueAsString(Map.of("user", Map.of("username", username, "password", password)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            String what = "login to App Registry " + baseUrl;
            try (InputStream in = new IdleTimeoutInputStream(call(what, () -> api.login(body)), idleTimeout, what,
                    () -> { })) {
                String answer = JSON.readTree(in.readNBytes(64 * 1024)).path("token").asText("");
                if (answer.isBlank()) {
                    throw new BuildFailure("App Registry " + baseUrl + " answered the login without a token");
                }
                loginToken = answer;
            } catch (IOException e) {
                throw new TransientFailure("login to App Registry " + baseUrl + ": " + e.getMessage(), e);
            }
        }
        return loginToken;
    }

    private InputStream call(String what, java.util.function.Supplier<InputStream> request) {
        try {
            return request.get();
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status == 401) {
                loginToken = null;
            }
            String message = what + " failed: HTTP " + status;
            if (status == 429 || status >= 500) {
                throw new TransientFailure(message, null);
            }
            throw new BuildFailure(message);
        } catch (ProcessingException e) {
            throw new TransientFailure(what + " failed: " + rootMessage(e), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read App Registry credentials file " + file, e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    @Override
    public String toString() {
        return "AppRegistryClient[" + baseUrl + (token != null || username != null ? ", credentials=***" : "") + "]";
    }
}
