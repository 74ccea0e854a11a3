package dev.catalogautopilot.builder.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP body that fails a read waiting longer than the idle timeout for data: neither the JDK's HttpClient nor the
 * REST client bound the time between body bytes, so a peer that sends headers and then stalls would hold a build
 * forever. A watchdog closes the body under the blocked reader (the JDK 17 HttpClient's body stream ignores
 * interrupts but wakes on close) and interrupts it (for streams that wake on interrupt); the read then throws
 * {@link SocketTimeoutException}. Every read that returns data also reports progress.
 */
public final class IdleTimeoutInputStream extends FilterInputStream {

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "http-idle-watchdog");
        thread.setDaemon(true);
        return thread;
    });

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
        this.idleNanos = idle.toNanos();
        this.what = what;
        this.progress = progress;
        long period = Math.max(10, idle.toMillis() / 4);
        this.check = WATCHDOG.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
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
        return new SocketTimeoutException(what + ": no data for " + Duration.ofNanos(idleNanos).toMillis()
                + " ms (idle timeout)");
    }
}
