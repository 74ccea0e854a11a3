package dev.catalogautopilot.testing.appregistry;

import java.time.Duration;

/** A misbehaviour the fixture injects into an endpoint's answers; see {@link Faults}. */
public sealed interface Fault {

    /** A truncated JSON body with status 200 (JSON endpoints only). */
    Fault MALFORMED_JSON = new MalformedJson();

    /** Answers {@code code} with the CNR error body; 429 and 503 also carry {@code Retry-After: 1}. */
    static Fault status(int code) {
        return new Status(code);
    }

    /** The real, valid JSON answer padded with an unknown field to at least {@code bytes} (JSON endpoints only). */
    static Fault oversized(int bytes) {
        return new Oversized(bytes);
    }

    /** Waits {@code delay} before answering normally. */
    static Fault delay(Duration delay) {
        return new Delay(delay);
    }

    /** See {@link #MALFORMED_JSON}. */
    record MalformedJson() implements Fault {
    }

    /** See {@link #status(int)}. */
    record Status(int code) implements Fault {
        public Status {
            if (code < 400 || code > 599) {
                throw new IllegalArgumentException("A status fault needs a 4xx or 5xx code, got " + code);
            }
        }
    }

    /** See {@link #oversized(int)}. */
    record Oversized(int bytes) implements Fault {
        public Oversized {
            if (bytes <= 0) {
                throw new IllegalArgumentException("Oversized needs a positive size, got " + bytes);
            }
        }
    }

    /** See {@link #delay(Duration)}. */
    record Delay(Duration delay) implements Fault {
        public Delay {
            if (delay == null || delay.isNegative()) {
                throw new IllegalArgumentException("Delay needs a non-negative duration");
            }
        }
    }
}
