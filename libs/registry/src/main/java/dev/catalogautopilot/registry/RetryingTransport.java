package dev.catalogautopilot.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/** Sends requests on the shared client, retrying 429, 5xx and connection errors with jittered exponential backoff. */
final class RetryingTransport {

    /** A registry asking for a longer pause than this is not waited for longer. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private final HttpClient http;
    private final int maxRetries;
    private final Duration backoffBase;
    private final Duration maxBackoff;
    private final Duration idleTimeout;

    RetryingTransport(HttpClient http, int maxRetries, Duration backoffBase, Duration maxBackoff,
                      Duration idleTimeout) {
        this.http = http;
        this.maxRetries = maxRetries;
        this.backoffBase = backoffBase;
        this.maxBackoff = maxBackoff;
        this.idleTimeout = idleTimeout;
    }

    /** Bodies as streams whose every read fails after {@code idleTimeout} without data. */
    HttpResponse.BodyHandler<InputStream> bodies(String what) {
        return IdleTimeoutInputStream.bodyHandler(idleTimeout, what);
    }

    /**
     * Sends the request built by {@code request}, retrying when allowed. Returns the last response whatever its
     * status, with an unread body; throws when no response came at all.
     *
     * @param replayable whether the request body can be sent again
     * @param what       names the operation in error messages
     */
    HttpResponse<InputStream> send(Supplier<HttpRequest> request, boolean replayable, String what) {
        return send(request, bodies(what), RetryingTransport::close, replayable, what);
    }

    /** As {@link #send(Supplier, boolean, String)} with any body handler; {@code discard} releases a retried answer. */
    <T> HttpResponse<T> send(Supplier<HttpRequest> request, HttpResponse.BodyHandler<T> handler,
                             java.util.function.Consumer<HttpResponse<T>> discard, boolean replayable, String what) {
        int attempts = replayable ? maxRetries + 1 : 1;
        for (int attempt = 1; ; attempt++) {
            HttpRequest built = request.get();
            HttpResponse<T> response;
            try {
                response = http.send(built, handler);
            } catch (IOException e) {
                if (attempt >= attempts) {
                    throw new RegistryException(what + " failed after " + attempt + " attempt(s): "
                            + e.getClass().getSimpleName() + describe(e) + " (" + origin(built) + ")", 0, null, e);
                }
                pause(backoff(attempt), what);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException(what + " interrupted", 0, null, e);
            }
            int status = response.statusCode();
            if (!isRetryable(status) || attempt >= attempts) {
                return response;
            }
            int failed = attempt;
            Duration delay = retryAfter(response).orElseGet(() -> backoff(failed));
            discard.accept(response);
            pause(delay, what);
        }
    }

    static boolean isRetryable(int status) {
        return status == 429 || status >= 500 && status != 501 && status != 505;
    }

    /** Full backoff doubles per attempt up to the cap; the jitter draws from its upper half. */
    Duration backoff(int attempt) {
        long base = backoffBase.toMillis();
        long cap = maxBackoff.toMillis();
        long exp = base << Math.min(attempt - 1, 20);
        long ceiling = Math.max(1, Math.min(cap, exp));
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(RetryingTransport::parseRetryAfter)
                .map(d -> d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d);
    }

    /** Seconds or an HTTP date (RFC 9110 §10.2.3). */
    static Optional<Duration> parseRetryAfter(String value) {
        String v = value.strip();
        try {
            long seconds = Long.parseLong(v);
            return Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    /** Drains a small leftover body so its connection can be reused; a large one is just closed. */
    static void close(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            body.readNBytes(64 * 1024);
        } catch (IOException ignored) {
            // The connection is simply not reused.
        }
    }

    private static void pause(Duration delay, String what) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(what + " interrupted while waiting to retry", 0, null, e);
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? "" : ": " + e.getMessage();
    }

    private static String origin(HttpRequest request) {
        return request.uri().getScheme() + "://" + request.uri().getRawAuthority();
    }
}
