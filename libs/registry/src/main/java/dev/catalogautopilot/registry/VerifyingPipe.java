package dev.catalogautopilot.registry;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An upload body fed straight from a download's buffers: no stream adapters, no copies, bounded by the upload's
 * demand (one download buffer list is requested at a time). Every buffer is hashed before it is handed on, and the
 * buffer that completes the declared size is handed on only if the digest matches, so a corrupt source never gives
 * the target a complete body and nothing is committed under the digest. A copy that moves no bytes for the idle
 * timeout (the source stalls mid-body, or the target stops reading) fails with {@link SocketTimeoutException}.
 */
final class VerifyingPipe implements HttpRequest.BodyPublisher {

    private final Flow.Publisher<List<ByteBuffer>> source;
    private final Digest expected;
    private final long size;
    private final Duration idleTimeout;
    private final String what;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    VerifyingPipe(Flow.Publisher<List<ByteBuffer>> source, Digest expected, long size, Duration idleTimeout,
                  String what) {
        this.source = source;
        this.expected = expected;
        this.size = size;
        this.idleTimeout = idleTimeout;
        this.what = what;
    }

    @Override
    public long contentLength() {
        return size;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> downstream) {
        if (!subscribed.compareAndSet(false, true)) {
            downstream.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            downstream.onError(new IOException("a streamed blob body can be sent only once"));
            return;
        }
        source.subscribe(new Bridge(downstream));
    }

    /** Releases the download when the upload never started, so its connection is not left open. */
    void discardIfUnused() {
        if (subscribed.compareAndSet(false, true)) {
            discard(source);
        }
    }

    /** Subscribes to a response body only to cancel it. */
    static void discard(Flow.Publisher<List<ByteBuffer>> body) {
        body.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.cancel();
            }

            @Override
            public void onNext(List<ByteBuffer> item) {
            }

            @Override
            public void onError(Throwable throwable) {
            }

            @Override
            public void onComplete() {
            }
        });
    }

    private final class Bridge implements Flow.Subscriber<List<ByteBuffer>>, Flow.Subscription {

        private final Flow.Subscriber<? super ByteBuffer> downstream;
        private final Queue<ByteBuffer> queue = new ConcurrentLinkedQueue<>();
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger work = new AtomicInteger();
        private final MessageDigest sha256 = Digest.newSha256();
        private volatile Flow.Subscription upstream;
        private volatile boolean upstreamDone;
        private volatile Throwable upstreamError;
        private volatile boolean cancelled;
        private volatile boolean awaitingUpstream;
        private volatile long movedAt = System.nanoTime();
        private volatile IOException idle;
        private volatile ScheduledFuture<?> idleCheck;
        private boolean terminated;
        private long seen;

        Bridge(Flow.Subscriber<? super ByteBuffer> downstream) {
            this.downstream = downstream;
            this.idleCheck = IdleWatchdog.every(idleTimeout, this::checkIdle);
        }

        private void checkIdle() {
            if (idle == null && System.nanoTime() - movedAt > idleTimeout.toNanos()) {
                idle = new SocketTimeoutException(IdleWatchdog.describe(what, idleTimeout));
                idleCheck.cancel(false);
                drain();
            }
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            upstream = subscription;
            downstream.onSubscribe(this);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            movedAt = System.nanoTime();
            for (ByteBuffer buffer : buffers) {
                if (buffer.hasRemaining()) {
                    queue.add(buffer);
                }
            }
            awaitingUpstream = false;
            drain();
        }

        @Override
        public void onError(Throwable throwable) {
            upstreamError = throwable;
            upstreamDone = true;
            drain();
        }

        @Override
        public void onComplete() {
            upstreamDone = true;
            drain();
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancel();
                return;
            }
            demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true;
            idleCheck.cancel(false);
            upstream.cancel();
        }

        private void drain() {
            if (work.getAndIncrement() != 0) {
                return;
            }
            do {
                if (terminated || cancelled) {
                    queue.clear();
                    continue;
                }
                if (idle != null) {
                    fail(idle);
                    upstream.cancel();
                    continue;
                }
                while (demand.get() > 0 && !queue.isEmpty()) {
                    ByteBuffer buffer = queue.poll();
                    IOException invalid = verify(buffer);
                    if (invalid != null) {
                        fail(invalid);
                        upstream.cancel();
                        break;
                    }
                    demand.decrementAndGet();
                    movedAt = System.nanoTime();
                    downstream.onNext(buffer);
                }
                if (terminated || !queue.isEmpty()) {
                    continue;
                }
                if (upstreamDone) {
                    if (upstreamError != null) {
                        fail(upstreamError);
                    } else if (seen != size) {
                        fail(new IOException("blob " + expected + " ended after " + seen + " of " + size + " bytes"));
                    } else {
                        terminated = true;
                        idleCheck.cancel(false);
                        downstream.onComplete();
                    }
                } else if (demand.get() > 0 && !awaitingUpstream) {
                    awaitingUpstream = true;
                    upstream.request(1);
                }
            } while (work.decrementAndGet() != 0);
        }

        private IOException verify(ByteBuffer buffer) {
            int length = buffer.remaining();
            if (length > size - seen) {
                return new IOException("blob " + expected + " is longer than its declared " + size + " bytes");
            }
            sha256.update(buffer.duplicate());
            seen += length;
            if (seen == size) {
                Digest actual = Digest.fromHash(sha256.digest());
                if (!actual.equals(expected)) {
                    return new DigestingInputStream.DigestMismatchException(expected, actual, size);
                }
            }
            return null;
        }

        private void fail(Throwable error) {
            terminated = true;
            idleCheck.cancel(false);
            queue.clear();
            downstream.onError(error);
        }
    }
}
