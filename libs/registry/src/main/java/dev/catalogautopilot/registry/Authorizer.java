package dev.catalogautopilot.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;

/**
 * Decides the {@code Authorization} header per registry and scope: anonymous until the registry challenges,
 * then Basic or Bearer tokens from the challenge's realm, cached per registry and scope until they expire.
 */
final class Authorizer {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The distribution token spec says shorter lifetimes mean 60 seconds. */
    private static final long MIN_TOKEN_SECONDS = 60;

    private final CredentialStore credentials;
    private final Predicate<String> insecure;
    private final RetryingTransport transport;
    private final Duration requestTimeout;
    private final String userAgent;
    private final ConcurrentMap<String, AuthChallenge> challenges = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Token> tokens = new ConcurrentHashMap<>();

    Authorizer(CredentialStore credentials, Predicate<String> insecure, RetryingTransport transport,
               Duration requestTimeout, String userAgent) {
        this.credentials = credentials;
        this.insecure = insecure;
        this.transport = transport;
        this.requestTimeout = requestTimeout;
        this.userAgent = userAgent;
    }

    /** The header for a request to {@code registry} needing {@code scopes}, or null to go anonymously. */
    String authorization(String registry, String repository, List<String> scopes) {
        AuthChallenge challenge = challenges.get(registry);
        if (challenge == null) {
            return null;
        }
        if (challenge.isBasic()) {
            return credentialsFor(registry, repository)
                    .filter(c -> !c.hasIdentityToken())
                    .map(RegistryCredentials::basicAuthorization)
                    .orElse(null);
        }
        String key = registry + "|" + String.join(" ", scopes);
        Token token = tokens.get(key);
        if (token == null || token.isExpired()) {
            token = fetchToken(registry, repository, challenge, scopes);
            tokens.put(key, token);
        }
        return "Bearer " + token.value();
    }

    /**
     * Learns from a 401 answer. Returns whether retrying (once) with fresh authorization can help.
     *
     * @param sentAuthorization what the refused request carried, or null
     */
    boolean onUnauthorized(String registry, List<String> scopes, HttpHeaders headers, String sentAuthorization) {
        List<AuthChallenge> offered = AuthChallenge.parse(String.join(", ", headers.allValues("WWW-Authenticate")));
        Optional<AuthChallenge> chosen = offered.stream().filter(c -> c.isBearer() && c.realm() != null).findFirst()
                .or(() -> offered.stream().filter(AuthChallenge::isBasic).findFirst());
        if (chosen.isEmpty()) {
            return false;
        }
        challenges.put(registry, chosen.get());
        // A refused token may have been revoked or expired early: the retry fetches a fresh one.
        tokens.remove(registry + "|" + String.join(" ", scopes));
        if (chosen.get().isBasic()) {
            return sentAuthorization == null && credentialsFor(registry, null).isPresent();
        }
        return true;
    }

    /** Forgets everything learnt about {@code registry}. */
    void forget(String registry) {
        challenges.remove(registry);
        tokens.keySet().removeIf(k -> k.startsWith(registry + "|"));
    }

    private Optional<RegistryCredentials> credentialsFor(String registry, String repository) {
        return repository == null ? credentials.forRegistry(registry) : credentials.forRepository(registry, repository);
    }

    private Token fetchToken(String registry, String repository, AuthChallenge challenge, List<String> scopes) {
        URI realm;
        try {
            realm = URI.create(challenge.realm());
        } catch (IllegalArgumentException e) {
            throw new RegistryException("Registry " + registry + " named an invalid token realm", 401, null);
        }
        String scheme = realm.getScheme() == null ? "" : realm.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || realm.getHost() == null) {
            throw new RegistryException("Registry " + registry + " named a token realm that is not an http(s) URL",
                    401, null);
        }
        Optional<RegistryCredentials> creds = credentialsFor(registry, repository)
                .filter(c -> mayReceiveCredentials(realm, registry));
        String what = "Token request to " + realm.getScheme() + "://" + realm.getRawAuthority() + " for " + registry;
        HttpResponse<InputStream> response;
        if (creds.isPresent() && creds.get().hasIdentityToken()) {
            StringBuilder form = new StringBuilder("grant_type=refresh_token&client_id=catalog-autopilot");
            param(form, "service", challenge.service());
            param(form, "scope", String.join(" ", scopes));
            param(form, "refresh_token", creds.get().identityToken());
            String body = form.toString();
            response = transport.send(() -> request(realm)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), true, what);
        } else {
            StringBuilder query = new StringBuilder(realm.getRawQuery() == null ? "" : realm.getRawQuery());
            param(query, "service", challenge.service());
            for (String scope : scopes) {
                param(query, "scope", scope);
            }
            URI uri = withQuery(realm, query.toString());
            response = transport.send(() -> {
                HttpRequest.Builder b = request(uri).GET();
                creds.ifPresent(c -> b.header("Authorization", c.basicAuthorization()));
                return b.build();
            }, true, what);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new RegistryException(what + " failed: HTTP " + response.statusCode()
                        + (creds.isPresent() ? " (credentials rejected?)" : " (anonymous)"),
                        response.statusCode(), null);
            }
            JsonNode json = JSON.readTree(body.readNBytes(1024 * 1024));
            String token = text(json, "token");
            if (token == null) {
                token = text(json, "access_token");
            }
            if (token == null || token.isEmpty()) {
                throw new RegistryException(what + " returned no token", 401, null);
            }
            long seconds = Math.max(MIN_TOKEN_SECONDS, json.path("expires_in").asLong(MIN_TOKEN_SECONDS));
            // Renew early so a token never expires between its lookup and its use.
            return new Token(token, Instant.now().plusSeconds(seconds * 9 / 10));
        } catch (IOException e) {
            throw new RegistryException(what + " returned an unreadable answer: " + e.getMessage(), 0, null, e);
        }
    }

    /**
     * Credentials go to an HTTPS realm, or over plain HTTP only to the same host as an explicitly insecure
     * registry, so a hostile challenge cannot pull them to another host in clear text.
     */
    boolean mayReceiveCredentials(URI realm, String registry) {
        if ("https".equalsIgnoreCase(realm.getScheme())) {
            return true;
        }
        return insecure.test(registry) && hostOf(registry).equalsIgnoreCase(realm.getHost());
    }

    static String hostOf(String registry) {
        if (registry.startsWith("[")) {
            return registry.substring(0, registry.indexOf(']') + 1);
        }
        int colon = registry.indexOf(':');
        return colon < 0 ? registry : registry.substring(0, colon);
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(requestTimeout).header("User-Agent", userAgent);
    }

    private static void param(StringBuilder query, String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (query.length() > 0) {
            query.append('&');
        }
        query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static URI withQuery(URI realm, String rawQuery) {
        String base = realm.getScheme() + "://" + realm.getRawAuthority() + (realm.getRawPath() == null ? "" : realm.getRawPath());
        return URI.create(rawQuery.isEmpty() ? base : base + "?" + rawQuery);
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    private record Token(String value, Instant renewAt) {
        boolean isExpired() {
            return Instant.now().isAfter(renewAt);
        }

        @Override
        public String toString() {
            return "Token[***, renewAt=" + renewAt + "]";
        }
    }
}
