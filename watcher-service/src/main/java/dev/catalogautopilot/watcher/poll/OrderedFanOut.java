package dev.catalogautopilot.watcher.poll;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs one task per item on at most {@code concurrency} threads of its own and answers the results in the items'
 * order. All or nothing: the first failure stops the rest (tasks not yet started never start, running ones are
 * interrupted, and {@link Stop#check()} fails before their next request), and once they have ended the failure of
 * the earliest item is thrown, so one bad item always reports itself.
 */
public final class OrderedFanOut {

    private static final Logger LOG = Logger.getLogger(OrderedFanOut.class);

    /** One item's work; it calls {@link Stop#check()} before each request so that a failed fan-out sends no more. */
    @FunctionalInterface
    public interface Task<T, R> {
        R run(T item, Stop stop);
    }

    /** Tells the tasks of one fan-out that another task failed. */
    public static final class Stop {

        /** For work outside any fan-out: never stops. */
        public static final Stop NEVER = new Stop();

        private volatile boolean stopped;

        private Stop() {
        }

        /** Throws if the fan-out has failed; an unchecked exception that no {@link Retrier} retries. */
        public void check() {
            if (stopped) {
                throw new Stopped();
            }
        }
    }

    /** Not an upstream failure: the Retrier lets it through and the fan-out never reports it. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped: another item of the same fan-out failed", null, false, false);
        }
    }

    private final int concurrency;
    private final Duration stopGrace;
    private final String threadName;

    /**
     * @param stopGrace how long a failure waits for the interrupted tasks to end before it is thrown anyway (they are
     *                  bounded by their own timeouts; the wait keeps one poll's requests from overlapping the next's)
     */
    public OrderedFanOut(int concurrency, Duration stopGrace, String threadName) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
        }
        this.concurrency = concurrency;
        this.stopGrace = stopGrace;
        this.threadName = threadName;
    }

    public <T, R> List<R> map(List<T> items, Task<T, R> task) {
        if (items.isEmpty()) {
            return List.of();
        }
        Stop stop = new Stop();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, items.size()), threads());
        CompletionService<R> completed = new ExecutorCompletionService<>(pool);
        List<Future<R>> futures = new ArrayList<>(items.size());
        try {
            for (T item : items) {
                futures.add(completed.submit(() -> task.run(item, stop)));
            }
            for (int i = 0; i < items.size(); i++) {
                if (failure(completed.take()) != null) {
                    stopAndWait(stop, futures, pool);
                    throw rethrowable(earliestFailure(futures));
                }
            }
            List<R> results = new ArrayList<>(items.size());
            for (Future<R> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            stop.stopped = true;
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw UpstreamException.transientFailure("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a completed task failed after all succeeded", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private void stopAndWait(Stop stop, List<? extends Future<?>> futures, ExecutorService pool)
            throws InterruptedException {
        stop.stopped = true;
        futures.forEach(f -> f.cancel(true));
        pool.shutdown();
        if (!pool.awaitTermination(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warnf("%s: tasks still running %s after a failure; not waiting for them", threadName, stopGrace);
        }
    }

    /** The failure of the earliest item among the tasks that ended on their own (not stopped, not cancelled). */
    private static Throwable earliestFailure(List<? extends Future<?>> futures) {
        for (Future<?> future : futures) {
            Throwable failure = future.isCancelled() ? null : failure(future);
            if (failure != null && !(failure instanceof Stopped)) {
                return failure;
            }
        }
        throw new IllegalStateException("a fan-out failed without a failure");
    }

    private static Throwable failure(Future<?> future) {
        if (!future.isDone()) {
            return null;
        }
        try {
            future.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (CancellationException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static RuntimeException rethrowable(Throwable failure) {
        if (failure instanceof RuntimeException e) {
            return e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(failure);
    }

    private ThreadFactory threads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, threadName + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
