package dev.catalogautopilot.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Credentials for one registry: a username and password, or an identity (OAuth2 refresh) token.
 * {@link #toString()} never shows the secret.
 */
public record RegistryCredentials(String username, String password, String identityToken) {

    public RegistryCredentials {
        if (identityToken == null) {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }
    }

    /** Username and password. */
    public static RegistryCredentials basic(String username, String password) {
        return new RegistryCredentials(username, password, null);
    }

    /** An identity token, exchanged at the token realm for access tokens. */
    public static RegistryCredentials identityToken(String username, String identityToken) {
        return new RegistryCredentials(username, null, Objects.requireNonNull(identityToken, "identityToken"));
    }

    /** Whether this carries an identity token rather than a password. */
    public boolean hasIdentityToken() {
        return identityToken != null;
    }

    /** The value of an {@code Authorization: Basic …} header. */
    public String basicAuthorization() {
        if (password == null) {
            throw new IllegalStateException("Credentials for " + username + " carry no password");
        }
        String pair = username + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "RegistryCredentials[username=" + username + ", "
                + (identityToken != null ? "identityToken=***" : "password=***") + "]";
    }
}
