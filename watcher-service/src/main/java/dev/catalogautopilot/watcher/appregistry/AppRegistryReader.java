package dev.catalogautopilot.watcher.appregistry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.watcher.change.PackageFilter;
import dev.catalogautopilot.events.catalog.PackageSnapshot;
import dev.catalogautopilot.watcher.change.UpstreamSnapshot;
import dev.catalogautopilot.watcher.poll.BoundedBody;
import dev.catalogautopilot.watcher.poll.OrderedFanOut;
import dev.catalogautopilot.watcher.poll.OrderedFanOut.Stop;
import dev.catalogautopilot.watcher.poll.Retrier;
import dev.catalogautopilot.watcher.poll.UpstreamException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads one App Registry namespace into a snapshot of package fingerprints. The snapshot is all or nothing: any
 * bad or missing part fails the whole poll, so a partial listing never looks like removed packages. The packages'
 * release lookups and archive checks run on a bounded {@link OrderedFanOut}, each request retried on its own by the
 * one {@link Retrier}; the fingerprints keep the listing's order.
 */
public final class AppRegistryReader {

    private static final Pattern HEX_DIGEST = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern NAME_PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final AppRegistryApi api;
    private final String namespace;
    private final AppRegistryCredentials credentials;
    private final long maxBytes;
    private final Retrier retrier;
    private final OrderedFanOut fanOut;
    private final ObjectMapper json;
    private volatile String loginToken;

    public AppRegistryReader(AppRegistryApi api, String namespace, AppRegistryCredentials credentials,
            long maxBytes, Retrier retrier, OrderedFanOut fanOut, ObjectMapper json) {
        this.api = api;
        this.namespace = namespace;
        this.credentials = credentials;
        this.maxBytes = maxBytes;
        this.retrier = retrier;
        this.fanOut = fanOut;
        this.json = json;
    }

    /** A listed package the filter accepts, with the name it has inside the namespace. */
    private record Listed(CnrPackage entry, String name) {
    }

    /**
     * @param known the fingerprints recorded last time; a package whose fingerprint is unchanged is not
     *              downloaded again, a changed one must have its archive present and matching its digest.
     */
    public UpstreamSnapshot read(PackageFilter filter, Map<String, PackageSnapshot> known) {
        String token = token();
        List<CnrPackage> listing = parse(request("package listing of " + namespace,
                () -> api.listPackages(namespace, "helm", token), Stop.NEVER),
                new TypeReference<List<CnrPackage>>() {
                }, "package listing of " + namespace);
        // The whole listing is checked before any release is asked for: a bad entry fails the poll at once.
        List<Listed> watched = new ArrayList<>();
        for (CnrPackage entry : listing) {
            String name = packageName(entry);
            if (!filter.accepts(name)) {
                continue;
            }
            if (entry.defaultRelease() == null || entry.releases() == null || entry.releases().isEmpty()) {
                throw UpstreamException.badResponse("package " + entry.name() + " has no default release");
            }
            watched.add(new Listed(entry, name));
        }
        return UpstreamSnapshot.ofPackages(fanOut.map(watched,
                (listed, stop) -> fingerprint(listed, known.get(listed.name()), token, stop)));
    }

    private PackageSnapshot fingerprint(Listed listed, PackageSnapshot known, String token, Stop stop) {
        CnrPackage entry = listed.entry();
        String name = listed.name();
        String release = entry.defaultRelease();
        CnrRelease info = parse(request("release " + release + " of " + entry.name(),
                () -> api.release(namespace, name, release, token), stop), new TypeReference<CnrRelease>() {
                }, "release " + release + " of " + entry.name());
        String digest = info.content() == null ? null : info.content().digest();
        if (digest == null || !HEX_DIGEST.matcher(digest).matches()) {
            throw UpstreamException.badResponse("release " + release + " of " + entry.name()
                    + " has an invalid content digest");
        }
        PackageSnapshot fingerprint = new PackageSnapshot(name, release, entry.releases(), "sha256:" + digest);
        if (!fingerprint.equals(known)) {
            verifyBlob(entry.name(), name, release, digest, token, stop);
        }
        return fingerprint;
    }

    private String packageName(CnrPackage entry) {
        String full = entry.name();
        if (full == null || !full.startsWith(namespace + "/")) {
            throw UpstreamException.badResponse("package listing of " + namespace + " names a package outside it: "
                    + full);
        }
        String name = full.substring(namespace.length() + 1);
        if (!NAME_PART.matcher(name).matches()) {
            throw UpstreamException.badResponse("package listing of " + namespace + " has an invalid name: " + full);
        }
        return name;
    }

    /** Downloads the archive once and checks its sha256, so a missing or corrupt blob fails the poll. */
    private void verifyBlob(String fullName, String name, String release, String digest, String token, Stop stop) {
        String what = "archive sha256:" + digest + " of " + fullName + " release " + release;
        retrier.call(what, () -> {
            stop.check();
            try (InputStream in = call(what, () -> api.blob(namespace, name, digest, token))) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                try (DigestInputStream digesting = new DigestInputStream(in, sha)) {
                    digesting.transferTo(java.io.OutputStream.nullOutputStream());
                }
                String actual = HexFormat.of().formatHex(sha.digest());
                if (!actual.equals(digest)) {
                    throw UpstreamException.badResponse(what + " does not match its digest (got sha256:" + actual + ")");
                }
                return null;
            } catch (IOException e) {
                throw UpstreamException.transientFailure(what + ": " + e.getMessage(), e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private String token() {
        if (credentials.token() != null) {
            return credentials.token();
        }
        if (!credentials.canLogin()) {
            return null;
        }
        if (loginToken == null) {
            String body;
            try {
                body = json.writeValueAsString(Map.of("user", Map.of("username", credentials.username(),
                        "password", credentials.password())));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            var answer = parse(request("login to App Registry", () -> api.login(body), Stop.NEVER),
                    new TypeReference<Map<String, Object>>() {
                    }, "login answer");
            Object token = answer.get("token");
            if (!(token instanceof String s) || s.isBlank()) {
                throw UpstreamException.badResponse("App Registry login answered without a token");
            }
            loginToken = s;
        }
        return loginToken;
    }

    private byte[] request(String what, Supplier<InputStream> call, Stop stop) {
        try {
            return retrier.call(what, () -> {
                stop.check();
                return BoundedBody.read(call(what, call), maxBytes, what);
            });
        } catch (UpstreamException e) {
            if (e.getMessage().contains("HTTP 401")) {
                loginToken = null; // a stale login token is fetched again next poll
            }
            throw e;
        }
    }

    private static InputStream call(String what, Supplier<InputStream> call) {
        try {
            return call.get();
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            String message = what + " failed: HTTP " + status;
            if (status == 429 || status >= 500) {
                throw UpstreamException.transientFailure(message, null);
            }
            throw UpstreamException.badResponse(message);
        } catch (ProcessingException e) {
            throw UpstreamException.transientFailure(what + " failed: " + rootMessage(e), e);
        }
    }

    private <T> T parse(byte[] body, TypeReference<T> type, String what) {
        try {
            T value = json.readValue(body, type);
            if (value == null) {
                throw UpstreamException.badResponse(what + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw UpstreamException.badResponse("malformed JSON in " + what + ": " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
