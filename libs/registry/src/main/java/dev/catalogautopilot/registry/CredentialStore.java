package dev.catalogautopilot.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Registry credentials read from containers {@code auth.json} or docker {@code config.json} files
 * ({@code auths: {host: {auth | username,password | identitytoken}}}). Credential helpers are not supported.
 */
public final class CredentialStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Keys are normalised: a host, or a host plus repository path for repository-scoped entries. */
    private final Map<String, RegistryCredentials> entries;

    private CredentialStore(Map<String, RegistryCredentials> entries) {
        this.entries = Map.copyOf(entries);
    }

    /** A store with no credentials: every registry is accessed anonymously. */
    public static CredentialStore empty() {
        return new CredentialStore(Map.of());
    }

    /** A store with the given entries, keyed by registry host (or {@code host/repository-prefix}). */
    public static CredentialStore of(Map<String, RegistryCredentials> credentials) {
        Map<String, RegistryCredentials> normalised = new LinkedHashMap<>();
        credentials.forEach((key, value) -> normalised.put(normaliseKey(key), value));
        return new CredentialStore(normalised);
    }

    /** Reads one auth file; a missing file gives an empty store. */
    public static CredentialStore fromFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return empty();
        }
        try {
            return new CredentialStore(parse(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read registry auth file " + file, e);
        }
    }

    /** Parses the JSON text of an auth file. */
    public static CredentialStore fromJson(String json) {
        return new CredentialStore(parse(json, "auth JSON"));
    }

    /**
     * Merges {@code $REGISTRY_AUTH_FILE}, {@code $XDG_RUNTIME_DIR/containers/auth.json} and
     * {@code ~/.docker/config.json}; for the same key the earlier file wins, as with podman and skopeo.
     */
    public static CredentialStore fromDefaultLocations() {
        return fromDefaultLocations(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** {@link #fromDefaultLocations()} with an explicit environment and home directory. */
    public static CredentialStore fromDefaultLocations(Map<String, String> env, Path home) {
        return merge(defaultLocations(env, home).stream().map(CredentialStore::fromFile).toList());
    }

    /** The files {@link #fromDefaultLocations()} reads, in order of precedence. */
    public static List<Path> defaultLocations(Map<String, String> env, Path home) {
        List<Path> files = new ArrayList<>();
        String authFile = env.get("REGISTRY_AUTH_FILE");
        if (authFile != null && !authFile.isBlank()) {
            files.add(Path.of(authFile));
        }
        String runtimeDir = env.get("XDG_RUNTIME_DIR");
        if (runtimeDir != null && !runtimeDir.isBlank()) {
            files.add(Path.of(runtimeDir, "containers", "auth.json"));
        }
        files.add(home.resolve(".docker").resolve("config.json"));
        return files;
    }

    /** Combines stores; earlier stores win for the same key. */
    public static CredentialStore merge(List<CredentialStore> stores) {
        Map<String, RegistryCredentials> merged = new LinkedHashMap<>();
        for (CredentialStore store : stores) {
            store.entries.forEach(merged::putIfAbsent);
        }
        return new CredentialStore(merged);
    }

    /** Credentials for a registry host such as {@code quay.io} or {@code 127.0.0.1:5000}. */
    public Optional<RegistryCredentials> forRegistry(String registry) {
        return Optional.ofNullable(entries.get(normaliseKey(registry)));
    }

    /**
     * Credentials for a repository: the most specific entry among {@code host/ns/name}, {@code host/ns}
     * and {@code host}.
     */
    public Optional<RegistryCredentials> forRepository(String registry, String repository) {
        String key = normaliseKey(registry) + "/" + repository;
        while (true) {
            RegistryCredentials found = entries.get(key);
            if (found != null) {
                return Optional.of(found);
            }
            int slash = key.lastIndexOf('/');
            if (slash < 0) {
                return Optional.empty();
            }
            key = key.substring(0, slash);
        }
    }

    /** Whether the store holds no credentials. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Lists the registries only, never the secrets. */
    @Override
    public String toString() {
        return "CredentialStore" + entries.keySet();
    }

    private static Map<String, RegistryCredentials> parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            // The parser's message may quote the file's content, so it is not passed on.
            throw new IllegalArgumentException("Registry auth file " + source + " is not valid JSON");
        }
        Map<String, RegistryCredentials> result = new LinkedHashMap<>();
        JsonNode auths = root == null ? null : root.get("auths");
        if (auths == null || !auths.isObject()) {
            return result;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = auths.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            RegistryCredentials credentials = credentials(field.getValue(), field.getKey(), source);
            if (credentials != null) {
                result.putIfAbsent(normaliseKey(field.getKey()), credentials);
            }
        }
        return result;
    }

    private static RegistryCredentials credentials(JsonNode entry, String key, String source) {
        String identityToken = text(entry, "identitytoken");
        String username = text(entry, "username");
        String password = text(entry, "password");
        String auth = text(entry, "auth");
        if (auth != null && !auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Registry auth file " + source + ": entry '" + key
                        + "' has an 'auth' value that is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("Registry auth file " + source + ": entry '" + key
                        + "' has an 'auth' value that is not base64(username:password)");
            }
            username = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        }
        if (identityToken != null && !identityToken.isEmpty()) {
            return RegistryCredentials.identityToken(username == null ? "<token>" : username, identityToken);
        }
        if (username != null && password != null && !(username.isEmpty() && password.isEmpty())) {
            return RegistryCredentials.basic(username, password);
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /**
     * {@code https://index.docker.io/v1/} and {@code docker.io} name the same registry; a key may also carry a
     * repository path ({@code quay.io/org}).
     */
    static String normaliseKey(String key) {
        String k = key.strip();
        int scheme = k.indexOf("://");
        if (scheme >= 0) {
            k = k.substring(scheme + 3);
        }
        while (k.endsWith("/")) {
            k = k.substring(0, k.length() - 1);
        }
        String host = k;
        String path = "";
        int slash = k.indexOf('/');
        if (slash >= 0) {
            host = k.substring(0, slash);
            path = k.substring(slash);
        }
        host = ImageReference.canonicalRegistry(host.toLowerCase(Locale.ROOT));
        if (host.equals(ImageReference.DOCKER_HUB) && (path.equals("/v1") || path.equals("/v2"))) {
            path = "";
        }
        return host + path;
    }
}
