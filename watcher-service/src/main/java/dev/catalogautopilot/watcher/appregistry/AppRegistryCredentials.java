package dev.catalogautopilot.watcher.appregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * App Registry credentials read from a file: either a bare token, or {"username","password"} to log in with.
 * {@link #toString()} never shows them.
 */
public record AppRegistryCredentials(String token, String username, String password) {

    public static final AppRegistryCredentials NONE = new AppRegistryCredentials(null, null, null);

    public static AppRegistryCredentials fromFile(Path file, ObjectMapper json) {
        try {
            String text = Files.readString(file).trim();
            if (text.startsWith("{")) {
                JsonNode node = json.readTree(text);
                return new AppRegistryCredentials(null, node.path("username").asText(null),
                        node.path("password").asText(null));
            }
            return new AppRegistryCredentials(text, null, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read App Registry credentials file " + file, e);
        }
    }

    public boolean canLogin() {
        return username != null && password != null;
    }

    @Override
    public String toString() {
        return token != null ? "AppRegistryCredentials[token=***]"
                : canLogin() ? "AppRegistryCredentials[username=" + username + ", password=***]"
                : "AppRegistryCredentials[anonymous]";
    }
}
