package dev.catalogautopilot.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Flow;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A thread-safe OCI distribution-spec client: resolves tags, moves manifests byte for byte and streams blobs.
 * One instance shares one HTTP/1.1 connection pool; build it once and reuse it.
 *
 * <p>Authentication is anonymous until a registry answers 401; then Bearer tokens (cached per registry and scope)
 * or Basic credentials from the {@link CredentialStore} are used. Credentials and tokens only ever go to the
 * registry's own origin or its token realm, never to a redirect target on another host.
 */
public final class RegistryClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The distribution registry refuses larger manifests too. */
    private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;
    private static final int MAX_REDIRECTS = 5;
    private static final Pattern LINK_NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final String DOCKER_HUB_API = "registry-1.docker.io";

    private final HttpClient http;
    private final RetryingTransport transport;
    /** Blob downloads get their own client: its own connections and selector thread, so I/O spreads over cores. */
    private final RetryingTransport downloads;
    private final SocketTransfer sockets;
    private final long socketThreshold;
    private final Authorizer authorizer;
    private final Predicate<String> insecure;
    private final int maxRetries;
    private final Duration requestTimeout;
    private final Duration idleTimeout;
    private final String userAgent;

    private RegistryClient(Builder b) {
        HttpClient.Builder hb = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(b.connectTimeout);
        if (b.sslContext != null) {
            hb.sslContext(b.sslContext);
        }
        this.http = hb.build();
        this.insecure = b.insecure;
        this.maxRetries = b.maxRetries;
        this.requestTimeout = b.requestTimeout;
        this.userAgent = b.userAgent;
        this.idleTimeout = b.idleTimeout;
        this.transport = new RetryingTransport(http, b.maxRetries, b.backoffBase, b.maxBackoff, b.idleTimeout);
        this.downloads = new RetryingTransport(hb.build(), b.maxRetries, b.backoffBase, b.maxBackoff,
                b.idleTimeout);
        this.sockets = new SocketTransfer(sslSocketFactory(b.sslContext), b.connectTimeout, b.requestTimeout,
                b.idleTimeout, b.userAgent);
        this.socketThreshold = b.socketThreshold;
        this.authorizer = new Authorizer(b.credentials, b.insecure, transport, b.requestTimeout, b.userAgent);
    }

    /** A builder with anonymous access, TLS everywhere, 4 retries from 200 ms. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- manifests

    /**
     * Resolves a tag (or checks a digest) to the manifest's descriptor with a {@code HEAD}, accepting manifest
     * lists and OCI indexes. When the registry omits {@code Docker-Content-Digest}, the manifest is fetched and hashed.
     */
    public Descriptor resolve(ImageReference image) {
        Call call = Call.of("resolve", image.toString(), image.registry(), image.repository(), pull(image.repository()),
                "HEAD", manifestUri(image.repositoryRef(), image.reference()))
                .header("Accept", MediaTypes.manifestAcceptHeader());
        HttpResponse<InputStream> response = execute(call);
        if (response.statusCode() != 200) {
            throw failure(call, response);
        }
        RetryingTransport.close(response);
        String digestHeader = response.headers().firstValue("Docker-Content-Digest").orElse(null);
        String mediaType = contentType(response);
        if (digestHeader == null || !Digest.isValid(digestHeader) || !MediaTypes.isManifest(mediaType)) {
            return getManifest(image).descriptor();
        }
        Digest digest = Digest.parse(digestHeader);
        if (image.digest() != null && !image.digest().equals(digest)) {
            throw new RegistryException("resolve " + image + ": registry " + image.registry()
                    + " answered with digest " + digest, 200, "DIGEST_INVALID");
        }
        long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        return new Descriptor(mediaType, digest, size);
    }

    /** Fetches a manifest's exact bytes; when addressed by digest the bytes are verified against it. */
    public Manifest getManifest(ImageReference image) {
        Call call = Call.of("get manifest", image.toString(), image.registry(), image.repository(),
                pull(image.repository()), "GET", manifestUri(image.repositoryRef(), image.reference()))
                .header("Accept", MediaTypes.manifestAcceptHeader());
        HttpResponse<InputStream> response = execute(call);
        if (response.statusCode() != 200) {
            throw failure(call, response);
        }
        byte[] bytes;
        try (InputStream body = response.body()) {
            bytes = body.readNBytes(MAX_MANIFEST_BYTES + 1);
        } catch (IOException e) {
            throw new RegistryException("get manifest " + image + ": reading the answer of " + image.registry()
                    + " failed: " + e.getMessage(), 0, null, e);
        }
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw new RegistryException("get manifest " + image + ": manifest larger than " + MAX_MANIFEST_BYTES
                    + " bytes", 200, "SIZE_INVALID");
        }
        Digest digest = Digest.sha256(bytes);
        if (image.digest() != null && !image.digest().equals(digest)) {
            throw new RegistryException("get manifest " + image + ": content from " + image.registry()
                    + " has digest " + digest, 200, "DIGEST_INVALID");
        }
        String mediaType = contentType(response);
        if (!MediaTypes.isManifest(mediaType)) {
            mediaType = sniffMediaType(bytes, image);
        }
        return new Manifest(mediaType, digest, bytes);
    }

    /** Whether the manifest exists ({@code HEAD}: 200 yes, 404 no). */
    public boolean hasManifest(ImageReference image) {
        Call call = Call.of("check manifest", image.toString(), image.registry(), image.repository(),
                pull(image.repository()), "HEAD", manifestUri(image.repositoryRef(), image.reference()))
                .header("Accept", MediaTypes.manifestAcceptHeader());
        return exists(call);
    }

    /**
     * Stores a manifest under a tag or its digest, byte for byte, and returns its digest. Every blob and child
     * manifest it references must already be in the repository.
     *
     * @param reference a tag, or the digest of {@code bytes}
     */
    public Digest putManifest(RepositoryRef repository, String reference, byte[] bytes, String mediaType) {
        Objects.requireNonNull(mediaType, "mediaType");
        Digest digest = Digest.sha256(bytes);
        ImageReference target = Digest.isValid(reference)
                ? repository.digest(Digest.parse(reference)) : repository.tag(reference);
        if (target.digest() != null && !target.digest().equals(digest)) {
            throw new IllegalArgumentException("Manifest bytes have digest " + digest + ", not " + reference);
        }
        byte[] body = bytes.clone();
        Call call = Call.of("push manifest", target.toString(), repository.registry(), repository.repository(),
                push(repository.repository()), "PUT", manifestUri(repository, target.reference()))
                .header("Content-Type", mediaType)
                .body(() -> BodyPublishers.ofByteArray(body));
        HttpResponse<InputStream> response = execute(call);
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw failure(call, response);
        }
        RetryingTransport.close(response);
        String answered = response.headers().firstValue("Docker-Content-Digest").orElse(null);
        if (answered != null && Digest.isValid(answered) && !digest.equals(Digest.parse(answered))) {
            throw new RegistryException("push manifest " + target + ": registry stored it as " + answered
                    + ", expected " + digest, response.statusCode(), "DIGEST_INVALID");
        }
        return digest;
    }

    /** Stores {@code manifest} under the target's tag (or its digest when the target has no tag). */
    public Digest putManifest(ImageReference target, Manifest manifest) {
        String reference = target.tag() != null ? target.tag() : manifest.digest().value();
        return putManifest(target.repositoryRef(), reference, manifest.bytes(), manifest.mediaType());
    }

    /** Deletes a manifest by digest; returns false when it did not exist. Needs deletion enabled on the registry. */
    public boolean deleteManifest(RepositoryRef repository, Digest digest) {
        Call call = Call.of("delete manifest", repository.digest(digest).toString(), repository.registry(),
                repository.repository(), List.of(scope(repository.repository(), "pull,push,delete")), "DELETE",
                manifestUri(repository, digest.value()));
        HttpResponse<InputStream> response = execute(call);
        int status = response.statusCode();
        if (status == 202 || status == 200 || status == 204) {
            RetryingTransport.close(response);
            return true;
        }
        if (status == 404) {
            RetryingTransport.close(response);
            return false;
        }
        throw failure(call, response);
    }

    /** All tags of a repository, following pagination. */
    public List<String> listTags(RepositoryRef repository) {
        List<String> tags = new ArrayList<>();
        URI uri = URI.create(base(repository.registry()) + "/v2/" + repository.repository() + "/tags/list?n=1000");
        while (uri != null) {
            Call call = Call.of("list tags", repository.toString(), repository.registry(), repository.repository(),
                    pull(repository.repository()), "GET", uri);
            HttpResponse<InputStream> response = execute(call);
            if (response.statusCode() != 200) {
                throw failure(call, response);
            }
            try (InputStream body = response.body()) {
                JsonNode json = JSON.readTree(body);
                json.path("tags").forEach(t -> tags.add(t.asText()));
            } catch (IOException e) {
                throw new RegistryException("list tags " + repository + ": unreadable answer: " + e.getMessage(), 200,
                        null, e);
            }
            URI current = uri;
            uri = response.headers().allValues("Link").stream()
                    .map(LINK_NEXT::matcher).filter(Matcher::find).findFirst()
                    .map(m -> current.resolve(m.group(1))).orElse(null);
        }
        return tags;
    }

    // ---------------------------------------------------------------- blobs

    /** Whether the repository holds the blob ({@code HEAD}). */
    public boolean hasBlob(RepositoryRef repository, Digest digest) {
        Call call = Call.of("check blob", repository + "@" + digest, repository.registry(), repository.repository(),
                pull(repository.repository()), "HEAD", blobUri(repository, digest)).followRedirects();
        return exists(call);
    }

    /**
     * Streams a blob. Redirects (to storage back ends) are followed without credentials when they leave the
     * registry's origin. The stream verifies the digest and fails the read that reaches EOF on a mismatch.
     */
    public DigestingInputStream openBlob(RepositoryRef repository, Digest digest) {
        Call call = Call.of("get blob", repository + "@" + digest, repository.registry(), repository.repository(),
                pull(repository.repository()), "GET", blobUri(repository, digest)).followRedirects();
        HttpResponse<InputStream> response = execute(call);
        if (response.statusCode() != 200) {
            throw failure(call, response);
        }
        return new DigestingInputStream(response.body(), digest);
    }

    /** Reads a small blob (such as an image config) fully, verified against its digest. */
    public byte[] getBlob(RepositoryRef repository, Digest digest) {
        try (DigestingInputStream in = openBlob(repository, digest)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new RegistryException("get blob " + repository + "@" + digest + " failed: " + e.getMessage(),
                    0, null, e);
        }
    }

    /** Uploads {@code content} in one request unless the repository already holds it; returns its digest. */
    public Digest pushBlob(RepositoryRef repository, byte[] content) {
        Digest digest = Digest.sha256(content);
        if (hasBlob(repository, digest)) {
            return digest;
        }
        byte[] copy = content.clone();
        uploadWithRetries(repository, digest, copy.length, () -> BodyPublishers.ofByteArray(copy), maxRetries + 1);
        return digest;
    }

    /**
     * Streams a blob of known digest and size into the repository without buffering it. The stream can be read
     * only once, so a failed upload is not retried: use {@link #pushBlob(RepositoryRef, Digest, long, BlobSource)}
     * for that. Callers check {@link #hasBlob} first when the blob may already be there.
     */
    public void pushBlob(RepositoryRef repository, Digest digest, long size, InputStream content) {
        boolean[] used = {false};
        pushBlob(repository, digest, size, () -> {
            if (used[0]) {
                throw new IOException("stream already consumed");
            }
            used[0] = true;
            return content;
        }, 1);
    }

    /** Streams a blob, reopening the source to retry the whole upload on 429, 5xx and connection errors. */
    public void pushBlob(RepositoryRef repository, Digest digest, long size, BlobSource source) {
        pushBlob(repository, digest, size, source, maxRetries + 1);
    }

    private void pushBlob(RepositoryRef repository, Digest digest, long size, BlobSource source, int attempts) {
        uploadWithRetries(repository, digest, size, () -> {
            InputStream in;
            try {
                in = source.open();
            } catch (IOException e) {
                throw new RegistryException("push blob " + repository + "@" + digest
                        + ": cannot open source: " + e.getMessage(), 0, null, e);
            }
            // A source that does not match its digest fails the upload instead of being stored under a lie.
            DigestingInputStream verified = new DigestingInputStream(in, digest);
            return BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> verified), size);
        }, attempts);
    }

    /**
     * Streams a blob from one repository to another (the registries may differ) without buffering it, hashing it
     * once on the way: the upload is given the content only up to the byte that proves the digest, so a source
     * serving corrupt bytes fails the copy with error code {@code DIGEST_INVALID} and nothing is committed under
     * the digest. Transient failures (429, 5xx, connection errors) retry the whole copy from a fresh source read.
     * Callers check {@link #hasBlob} or {@link #mountBlob} first; returns the bytes sent by the successful attempt.
     */
    public long copyBlob(RepositoryRef from, RepositoryRef to, Digest digest, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be known to stream a blob: " + size);
        }
        if (size >= socketThreshold && copyOverSockets(from, to, digest, size, null)) {
            return size;
        }
        return copyOverHttpClient(from, to, digest, size);
    }

    /**
     * As {@link #copyBlob}, unless the target repository already holds the blob; returns whether it copied (false:
     * the blob was there). On the socket path the check and the upload's start are one request: an upload
     * {@code POST} with {@code mount=<digest>&from=<the target repository itself>}, which a registry answers
     * {@code 201} when the repository holds the blob and otherwise with the upload session ({@code 202}) the copy
     * then fills. Any other answer falls back to a {@code HEAD} and {@link #copyBlob}.
     */
    public boolean copyBlobUnlessPresent(RepositoryRef from, RepositoryRef to, Digest digest, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be known to stream a blob: " + size);
        }
        if (size >= socketThreshold) {
            URI start = URI.create(base(to.registry()) + "/v2/" + to.repository() + "/blobs/uploads/?mount="
                    + digest.value() + "&from=" + URLEncoder.encode(to.repository(), StandardCharsets.UTF_8));
            SocketTransfer.Answer answer;
            try {
                answer = sockets.openUpload(start,
                        authorizer.authorization(to.registry(), to.repository(), push(to.repository())));
            } catch (IOException e) {
                answer = null;
            }
            if (answer != null && answer.status() == 201) {
                return false;
            }
            if (answer != null && answer.status() == 202 && answer.location() != null) {
                URI session = uploadUri(start, answer.location(), digest);
                if (!copyOverSockets(from, to, digest, size, session)) {
                    copyOverHttpClient(from, to, digest, size);
                }
                return true;
            }
        }
        if (hasBlob(to, digest)) {
            return false;
        }
        copyBlob(from, to, digest, size);
        return true;
    }

    private long copyOverHttpClient(RepositoryRef from, RepositoryRef to, Digest digest, long size) {
        Call get = Call.of("get blob", from + "@" + digest, from.registry(), from.repository(),
                pull(from.repository()), "GET", blobUri(from, digest)).followRedirects();
        List<VerifyingPipe> pipes = new ArrayList<>();
        try {
            uploadWithRetries(to, digest, size, () -> {
                HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = executeStreaming(get);
                if (response.statusCode() != 200) {
                    discard(response);
                    throw new RegistryException("get blob " + from + "@" + digest + " failed: HTTP "
                            + response.statusCode() + " from " + from.registry(), response.statusCode(), null);
                }
                VerifyingPipe pipe = new VerifyingPipe(response.body(), digest, size, idleTimeout,
                        "get blob " + from + "@" + digest + " for " + to);
                pipes.add(pipe);
                return pipe;
            }, maxRetries + 1);
            return size;
        } catch (RegistryException e) {
            if (isDigestMismatch(e)) {
                Throwable mismatch = e;
                while (!(mismatch instanceof DigestingInputStream.DigestMismatchException)) {
                    mismatch = mismatch.getCause();
                }
                throw new RegistryException("copy blob " + from + "@" + digest + " to " + to + ": "
                        + mismatch.getMessage(), 0, "DIGEST_INVALID", e);
            }
            throw e;
        } finally {
            pipes.forEach(VerifyingPipe::discardIfUnused);
        }
    }

    /**
     * The large-blob path of {@link #copyBlob}: false when the source wants more than a plain {@code GET} (a
     * redirect, authentication not yet negotiated), so the HttpClient path takes over.
     */
    private boolean copyOverSockets(RepositoryRef from, RepositoryRef to, Digest digest, long size, URI opened) {
        String subject = "copy blob " + from + "@" + digest + " to " + to;
        URI session = opened;
        for (int attempt = 1; ; attempt++) {
            RegistryException failure;
            try {
                SocketTransfer.Source source;
                try {
                    source = sockets.open(blobUri(from, digest),
                            authorizer.authorization(from.registry(), from.repository(), pull(from.repository())),
                            size);
                } catch (IOException | RuntimeException e) {
                    abandon(to, digest, session);
                    session = null;
                    throw e;
                }
                if (source == null) {
                    abandon(to, digest, session);
                    return false;
                }
                URI upload;
                try {
                    upload = session != null ? session : openUploadOverSockets(to, digest);
                    session = null;
                } catch (IOException | RuntimeException e) {
                    source.close();
                    throw e;
                }
                ByteArrayOutputStream errorBody = new ByteArrayOutputStream();
                // Credentials only to the registry's own origin, as on the HttpClient path.
                String authorization = isRegistryOrigin(upload, to.registry())
                        ? authorizer.authorization(to.registry(), to.repository(), push(to.repository())) : null;
                int status = sockets.put(source, upload, authorization, digest, size, errorBody);
                if (status == 201 || status == 204) {
                    return true;
                }
                failure = new RegistryException(subject + " failed: HTTP " + status + errorCode(errorBody.toByteArray())
                        .map(code -> " " + code).orElse("") + " from " + to.registry(), status,
                        errorCode(errorBody.toByteArray()).orElse(null));
                if (!RetryingTransport.isRetryable(status)) {
                    throw failure;
                }
            } catch (DigestingInputStream.DigestMismatchException e) {
                throw new RegistryException(subject + ": " + e.getMessage(), 0, "DIGEST_INVALID", e);
            } catch (IOException e) {
                failure = new RegistryException(subject + " failed: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()), 0, null, e);
            }
            if (attempt > maxRetries) {
                throw failure;
            }
            try {
                Thread.sleep(transport.backoff(attempt).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure;
            }
        }
    }

    /** {@link #openUpload} on a pooled socket; anything but a plain {@code 202} is left to the HttpClient path. */
    private URI openUploadOverSockets(RepositoryRef repository, Digest digest) throws IOException {
        URI start = URI.create(base(repository.registry()) + "/v2/" + repository.repository() + "/blobs/uploads/");
        SocketTransfer.Answer answer = sockets.openUpload(start, authorizer.authorization(repository.registry(),
                repository.repository(), push(repository.repository())));
        if (answer.status() != 202 || answer.location() == null) {
            return openUpload(repository, digest);
        }
        return uploadUri(start, answer.location(), digest);
    }

    private static Optional<String> errorCode(byte[] body) {
        try {
            JsonNode code = JSON.readTree(body).path("errors").path(0).path("code");
            return code.isTextual() ? Optional.of(code.asText()) : Optional.empty();
        } catch (IOException | RuntimeException notJson) {
            return Optional.empty();
        }
    }

    private static javax.net.ssl.SSLSocketFactory sslSocketFactory(SSLContext context) {
        try {
            return (context != null ? context : SSLContext.getDefault()).getSocketFactory();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    /**
     * Asks the registry to link a blob from another repository on the same registry. Returns true when mounted
     * (201); false when the registry declined (202: the opened upload session is cancelled) or the repositories
     * are on different registries. Then the caller uploads the blob.
     */
    public boolean mountBlob(RepositoryRef repository, Digest digest, RepositoryRef from) {
        if (!from.registry().equals(repository.registry())) {
            return false;
        }
        URI uri = URI.create(base(repository.registry()) + "/v2/" + repository.repository() + "/blobs/uploads/?mount="
                + digest.value() + "&from=" + URLEncoder.encode(from.repository(), StandardCharsets.UTF_8));
        List<String> scopes = from.repository().equals(repository.repository()) ? push(repository.repository())
                : List.of(scope(repository.repository(), "pull,push"), scope(from.repository(), "pull"));
        Call call = Call.of("mount blob", repository + "@" + digest + " from " + from.repository(),
                repository.registry(), repository.repository(), scopes, "POST", uri)
                .body(BodyPublishers::noBody);
        HttpResponse<InputStream> response = execute(call);
        int status = response.statusCode();
        if (status == 201) {
            RetryingTransport.close(response);
            return true;
        }
        if (status == 202) {
            RetryingTransport.close(response);
            response.headers().firstValue("Location").ifPresent(location -> cancelUpload(call, uri.resolve(location)));
            return false;
        }
        throw failure(call, response);
    }

    /** Opens a blob's content; called again for every attempt of a retried upload. */
    @FunctionalInterface
    public interface BlobSource {
        InputStream open() throws IOException;
    }

    private void uploadWithRetries(RepositoryRef repository, Digest digest, long size,
                                   Supplier<BodyPublisher> body, int attempts) {
        for (int attempt = 1; ; attempt++) {
            try {
                upload(repository, digest, body);
                return;
            } catch (RegistryException e) {
                boolean retryable = e.statusCode() == 0 && !isDigestMismatch(e)
                        || RetryingTransport.isRetryable(e.statusCode());
                if (!retryable || attempt >= attempts) {
                    throw e;
                }
                try {
                    Thread.sleep(transport.backoff(attempt).toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** A source that does not match its digest will not match it on the next attempt either. */
    private static boolean isDigestMismatch(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DigestingInputStream.DigestMismatchException) {
                return true;
            }
        }
        return false;
    }

    /** Monolithic upload: {@code POST} opens a session, one {@code PUT ?digest=} sends the bytes and closes it. */
    private void upload(RepositoryRef repository, Digest digest, Supplier<BodyPublisher> body) {
        URI finish = openUpload(repository, digest);
        Call put = Call.of("push blob", repository + "@" + digest, repository.registry(), repository.repository(),
                push(repository.repository()), "PUT", finish)
                .header("Content-Type", "application/octet-stream")
                .body(body).oneShot();
        HttpResponse<InputStream> done = execute(put);
        if (done.statusCode() != 201 && done.statusCode() != 204) {
            throw failure(put, done);
        }
        RetryingTransport.close(done);
    }

    /** Opens an upload session; returns the URI that completes it with a {@code PUT} of the whole blob. */
    private URI openUpload(RepositoryRef repository, Digest digest) {
        String subject = repository + "@" + digest;
        URI start = URI.create(base(repository.registry()) + "/v2/" + repository.repository() + "/blobs/uploads/");
        Call open = Call.of("push blob", subject, repository.registry(), repository.repository(),
                push(repository.repository()), "POST", start).body(BodyPublishers::noBody);
        HttpResponse<InputStream> opened = execute(open);
        if (opened.statusCode() != 202) {
            throw failure(open, opened);
        }
        RetryingTransport.close(opened);
        String location = opened.headers().firstValue("Location")
                .orElseThrow(() -> new RegistryException("push blob " + subject + ": registry "
                        + repository.registry() + " gave no upload location", 202, null));
        return uploadUri(start, location, digest);
    }

    /** The URI that completes the session at {@code location} with a {@code PUT} of the whole blob. */
    private static URI uploadUri(URI start, String location, Digest digest) {
        URI session = start.resolve(location);
        String separator = session.getRawQuery() == null ? "?" : "&";
        return URI.create(session + separator + "digest=" + digest.value());
    }

    /** Cancels an upload session this client opened and will not use, if any. */
    private void abandon(RepositoryRef repository, Digest digest, URI session) {
        if (session != null) {
            cancelUpload(Call.of("push blob", repository + "@" + digest, repository.registry(),
                    repository.repository(), push(repository.repository()), "DELETE", session), session);
        }
    }

    private void cancelUpload(Call cause, URI session) {
        Call cancel = Call.of("cancel upload", cause.subject, cause.registry, cause.repository, cause.scopes,
                "DELETE", session);
        try {
            RetryingTransport.close(execute(cancel));
        } catch (RegistryException ignored) {
            // An abandoned session expires on its own.
        }
    }

    // ---------------------------------------------------------------- HTTP plumbing

    /** Sends a call with authentication, one re-authentication on 401, and manual redirects. */
    private HttpResponse<InputStream> execute(Call call) {
        return execute(call, transport.bodies(call.operation + " " + call.subject), RetryingTransport::close);
    }

    /** As {@link #execute(Call)}, delivering the body as the client's buffers, for streaming blob copies. */
    private HttpResponse<Flow.Publisher<List<ByteBuffer>>> executeStreaming(Call call) {
        return execute(call, HttpResponse.BodyHandlers.ofPublisher(), RegistryClient::discard);
    }

    private static void discard(HttpResponse<Flow.Publisher<List<ByteBuffer>>> response) {
        VerifyingPipe.discard(response.body());
    }

    private <T> HttpResponse<T> execute(Call call, HttpResponse.BodyHandler<T> handler,
                                        java.util.function.Consumer<HttpResponse<T>> discard) {
        URI uri = call.uri;
        boolean reauthenticated = false;
        int redirects = 0;
        while (true) {
            boolean registryOrigin = isRegistryOrigin(uri, call.registry);
            String authorization = registryOrigin
                    ? authorizer.authorization(call.registry, call.repository, call.scopes) : null;
            URI target = uri;
            RetryingTransport via = call.method.equals("GET") && call.followRedirects ? downloads : transport;
            HttpResponse<T> response = via.send(() -> build(call, target, authorization), handler, discard,
                    call.replayable, call.operation + " " + call.subject);
            int status = response.statusCode();
            if (status == 401 && registryOrigin && !reauthenticated && call.replayable) {
                reauthenticated = true;
                if (authorizer.onUnauthorized(call.registry, call.scopes, response.headers(), authorization)) {
                    discard.accept(response);
                    continue;
                }
                return response;
            }
            if (call.followRedirects && isRedirect(status)) {
                Optional<String> location = response.headers().firstValue("Location");
                if (location.isEmpty()) {
                    return response;
                }
                discard.accept(response);
                if (++redirects > MAX_REDIRECTS) {
                    throw new RegistryException(call.operation + " " + call.subject + ": more than "
                            + MAX_REDIRECTS + " redirects", status, null);
                }
                URI from = uri;
                uri = uri.resolve(location.get());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("https") && !scheme.equals("http")) {
                    throw new RegistryException(call.operation + " " + call.subject
                            + ": redirect to an unsupported scheme", status, null);
                }
                if (downgrades(from, uri, insecure.test(call.registry))) {
                    throw new RegistryException(call.operation + " " + call.subject + ": redirect from https to "
                            + "http refused (" + uri.getRawAuthority() + "); registry " + call.registry
                            + " is not configured insecure", status, null);
                }
                continue;
            }
            return response;
        }
    }

    private HttpRequest build(Call call, URI uri, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("User-Agent", userAgent)
                .method(call.method, call.body == null ? BodyPublishers.noBody() : call.body.get());
        for (int i = 0; i < call.headers.size(); i += 2) {
            b.header(call.headers.get(i), call.headers.get(i + 1));
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b.build();
    }

    private boolean exists(Call call) {
        HttpResponse<InputStream> response = execute(call);
        int status = response.statusCode();
        if (status == 200) {
            RetryingTransport.close(response);
            return true;
        }
        if (status == 404) {
            RetryingTransport.close(response);
            return false;
        }
        throw failure(call, response);
    }

    private RegistryException failure(Call call, HttpResponse<InputStream> response) {
        int status = response.statusCode();
        String code = null;
        String message = null;
        try (InputStream body = response.body()) {
            byte[] bytes = body.readNBytes(MAX_ERROR_BODY_BYTES);
            if (bytes.length > 0) {
                JsonNode first = JSON.readTree(bytes).path("errors").path(0);
                code = first.hasNonNull("code") ? first.get("code").asText() : null;
                message = first.hasNonNull("message") ? first.get("message").asText() : null;
            }
        } catch (IOException | RuntimeException notJson) {
            // Not a distribution error body: the status says enough.
        }
        StringBuilder text = new StringBuilder(call.operation).append(' ').append(call.subject)
                .append(" failed: HTTP ").append(status);
        if (code != null) {
            text.append(' ').append(code);
        }
        if (message != null && !message.isBlank()) {
            text.append(" (").append(message.length() > 300 ? message.substring(0, 300) + "…" : message).append(')');
        }
        if (status == 401) {
            text.append(" - credentials missing or rejected");
        }
        text.append(" from ").append(call.registry);
        return new RegistryException(text.toString(), status, code);
    }

    private static String sniffMediaType(byte[] bytes, ImageReference image) {
        try {
            JsonNode json = JSON.readTree(bytes);
            String declared = json.path("mediaType").asText("");
            if (MediaTypes.isManifest(declared)) {
                return declared;
            }
            if (json.has("manifests")) {
                return MediaTypes.OCI_INDEX;
            }
            if (json.has("layers") && json.has("config")) {
                return MediaTypes.OCI_MANIFEST;
            }
        } catch (IOException notJson) {
            // Reported below.
        }
        throw new RegistryException("get manifest " + image + ": unsupported manifest type", 200, "MANIFEST_INVALID");
    }

    private static String contentType(HttpResponse<?> response) {
        String value = response.headers().firstValue("Content-Type").orElse("");
        int semicolon = value.indexOf(';');
        return (semicolon < 0 ? value : value.substring(0, semicolon)).strip();
    }

    /** Whether following {@code from} to {@code to} leaves TLS, which only a registry configured insecure may do. */
    static boolean downgrades(URI from, URI to, boolean insecureRegistry) {
        return !insecureRegistry && "https".equalsIgnoreCase(from.getScheme()) && "http".equalsIgnoreCase(to.getScheme());
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private boolean isRegistryOrigin(URI uri, String registry) {
        URI origin = URI.create(base(registry));
        return origin.getScheme().equalsIgnoreCase(uri.getScheme())
                && origin.getHost().equalsIgnoreCase(uri.getHost())
                && effectivePort(origin) == effectivePort(uri);
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private String base(String registry) {
        String host = registry.equals(ImageReference.DOCKER_HUB) ? DOCKER_HUB_API : registry;
        return (insecure.test(registry) ? "http://" : "https://") + host;
    }

    private URI manifestUri(RepositoryRef repository, String reference) {
        return URI.create(base(repository.registry()) + "/v2/" + repository.repository() + "/manifests/" + reference);
    }

    private URI blobUri(RepositoryRef repository, Digest digest) {
        return URI.create(base(repository.registry()) + "/v2/" + repository.repository() + "/blobs/" + digest.value());
    }

    private static List<String> pull(String repository) {
        return List.of(scope(repository, "pull"));
    }

    private static List<String> push(String repository) {
        return List.of(scope(repository, "pull,push"));
    }

    private static String scope(String repository, String actions) {
        return "repository:" + repository + ":" + actions;
    }

    /** One request as an operation sees it; the plumbing adds authentication, retries and redirects. */
    private static final class Call {
        final String operation;
        final String subject;
        final String registry;
        final String repository;
        final List<String> scopes;
        final String method;
        final URI uri;
        final List<String> headers = new ArrayList<>();
        Supplier<BodyPublisher> body;
        boolean replayable = true;
        boolean followRedirects;

        private Call(String operation, String subject, String registry, String repository, List<String> scopes,
                     String method, URI uri) {
            this.operation = operation;
            this.subject = subject;
            this.registry = registry;
            this.repository = repository;
            this.scopes = scopes;
            this.method = method;
            this.uri = uri;
        }

        static Call of(String operation, String subject, String registry, String repository, List<String> scopes,
                       String method, URI uri) {
            return new Call(operation, subject, registry, repository, scopes, method, uri);
        }

        Call header(String name, String value) {
            headers.add(name);
            headers.add(value);
            return this;
        }

        Call body(Supplier<BodyPublisher> body) {
            this.body = body;
            return this;
        }

        /** The body can be sent only once: no retry, no re-authentication. */
        Call oneShot() {
            this.replayable = false;
            return this;
        }

        Call followRedirects() {
            this.followRedirects = true;
            return this;
        }
    }

    /** Configures a {@link RegistryClient}. */
    public static final class Builder {
        private CredentialStore credentials = CredentialStore.empty();
        private Predicate<String> insecure = registry -> false;
        private int maxRetries = 4;
        private Duration backoffBase = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofMinutes(5);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private SSLContext sslContext;
        private String userAgent = "catalog-autopilot-registry/1";
        private long socketThreshold = 0;

        private Builder() {
        }

        /** Where credentials come from; default none. */
        public Builder credentials(CredentialStore credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** Registries spoken to over plain HTTP; every other registry uses verified TLS. */
        public Builder insecureRegistries(Collection<String> registries) {
            Set<String> hosts = registries.stream().map(ImageReference::canonicalRegistry).collect(Collectors.toSet());
            return insecure(hosts::contains);
        }

        /** Decides per registry host whether to use plain HTTP. */
        public Builder insecure(Predicate<String> insecure) {
            this.insecure = Objects.requireNonNull(insecure, "insecure");
            return this;
        }

        /** Retries after the first attempt on 429, 5xx and connection errors; default 4. */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must be >= 0");
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /** First backoff delay, doubled per retry with jitter; default 200 ms. */
        public Builder backoffBase(Duration backoffBase) {
            this.backoffBase = Objects.requireNonNull(backoffBase, "backoffBase");
            return this;
        }

        /** Longest backoff delay; default 10 s. */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
            return this;
        }

        /** TCP connect timeout; default 10 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** Time allowed per request until the response headers arrive; default 5 min. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        /**
         * Longest wait for the next bytes of a response body (manifests, blobs, token answers, error bodies) or for
         * a streamed copy to move on, once the headers are in; a read waiting longer fails with
         * {@link java.net.SocketTimeoutException}, which is retried like a broken connection; default 60 s.
         */
        public Builder idleTimeout(Duration idleTimeout) {
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive");
            }
            this.idleTimeout = idleTimeout;
            return this;
        }

        /** TLS context, e.g. one trusting a private CA; default the JVM's. */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        /** The {@code User-Agent} header. */
        public Builder userAgent(String userAgent) {
            this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
            return this;
        }

        /**
         * Blobs at least this large are copied registry to registry over pooled keep-alive sockets (TLS verified
         * for https) rather than through the HttpClient, which costs about three times the CPU per byte and more
         * per request; default 0 (every blob). {@code Long.MAX_VALUE} turns it off.
         */
        public Builder socketThreshold(long bytes) {
            this.socketThreshold = bytes;
            return this;
        }

        public RegistryClient build() {
            return new RegistryClient(this);
        }
    }
}
