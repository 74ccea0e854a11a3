package dev.catalogautopilot.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.net.http.HttpResponse;
import java.util.concurrent.ScheduledFuture;

/**
 * An HTTP body that fails a read waiting longer than the idle timeout for data: neither the JDK's HttpClient nor the
 * REST client bound the time between body bytes, so a peer that sends headers and then stalls would hold a build
 * forever. A watchdog closes the body under the blocked reader (the JDK 17 HttpClient's body stream ignores
 * interrupts but wakes on close) and interrupts it (for streams that wake on interrupt); the read then throws
 * {@link SocketTimeoutException}. Every read that returns data also reports progress. {@link RegistryClient} wraps
 * every body it reads (manifests, blobs, tag lists, token answers, error bodies) in one.
 */
public final class IdleTimeoutInputStream extends FilterInputStream {

    private final Duration idle;
    private final long idleNanos;
    private final String what;
    private final Runnable progress;
    private final ScheduledFuture<?> check;
    private final Object lock = new Object();
    private Thread reader;
    private long readSince;
    private boolean timedOut;

    public IdleTimeoutInputStream(InputStream in, Duration idle, String what, Runnable progress) {
        super(in);
        this.idle = idle;
        this.idleNanos = idle.toNanos();
        this.what = what;
        this.progress = progress;
        this.check = IdleWatchdog.every(idle, this::check);
    }

    public IdleTimeoutInputStream(InputStream in, Duration idle, String what) {
        this(in, idle, what, () -> { });
    }

    /** Delivers response bodies as streams with an idle timeout; {@code what} names the read in the error. */
    public static HttpResponse.BodyHandler<InputStream> bodyHandler(Duration idle, String what) {
        return info -> HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofInputStream(),
                in -> new IdleTimeoutInputStream(in, idle, what));
    }

    @Override
    public int read() throws IOException {
        begin();
        try {
            int b = in.read();
            failIfTimedOut();
            if (b >= 0) {
                progress.run();
            }
            return b;
        } catch (IOException | RuntimeException e) {
            throw timedOutOr(e);
        } finally {
            end();
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        begin();
        try {
            int n = in.read(buffer, offset, length);
            failIfTimedOut();
            if (n > 0) {
                progress.run();
            }
            return n;
        } catch (IOException | RuntimeException e) {
            throw timedOutOr(e);
        } finally {
            end();
        }
    }

    @Override
    public void close() throws IOException {
        check.cancel(false);
        super.close();
    }

    /** A read the watchdog ended by closing the body may return EOF: that is the timeout too. */
    private void failIfTimedOut() throws SocketTimeoutException {
        synchronized (lock) {
            if (timedOut) {
                throw timeout();
            }
        }
    }

    private void begin() throws SocketTimeoutException {
        synchronized (lock) {
            if (timedOut) {
                throw timeout();
            }
            reader = Thread.currentThread();
            readSince = System.nanoTime();
        }
    }

    private void end() {
        synchronized (lock) {
            reader = null;
            if (timedOut) {
                Thread.interrupted(); // the watchdog's interrupt was for this read only
            }
        }
    }

    private void check() {
        synchronized (lock) {
            if (reader == null || timedOut || System.nanoTime() - readSince <= idleNanos) {
                return;
            }
            timedOut = true;
            reader.interrupt();
        }
        check.cancel(false);
        try {
            in.close();
        } catch (IOException | RuntimeException ignored) {
            // the reader fails with the timeout either way
        }
    }

    /** The timeout when the watchdog caused {@code e}, else {@code e} as it was. */
    private IOException timedOutOr(Exception e) {
        synchronized (lock) {
            if (timedOut) {
                SocketTimeoutException timeout = timeout();
                timeout.initCause(e);
                return timeout;
            }
        }
        if (e instanceof IOException io) {
            return io;
        }
        throw (RuntimeException) e;
    }

    private SocketTimeoutException timeout() {
        return new SocketTimeoutException(IdleWatchdog.describe(what, idle));
    }
}
