package dev.catalogautopilot.registry;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that checks every body read and streamed copy for an idle peer. Neither the JDK's HttpClient nor
 * a blocking socket write bounds the time between body bytes (the request timeout ends when the headers arrive), so
 * each reader registers a check that runs a few times per idle period and fails the transfer once it is exceeded.
 */
final class IdleWatchdog {

    private static final ScheduledExecutorService THREAD = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "http-idle-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private IdleWatchdog() {
    }

    /** Runs {@code check} four times per {@code idle} until the returned future is cancelled. */
    static ScheduledFuture<?> every(Duration idle, Runnable check) {
        long period = Math.max(10, idle.toMillis() / 4);
        return THREAD.scheduleWithFixedDelay(check, period, period, TimeUnit.MILLISECONDS);
    }

    static String describe(String what, Duration idle) {
        return what + ": no data for " + idle.toMillis() + " ms (idle timeout)";
    }
}
