package dev.catalogautopilot.testing.appregistry;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The faults a {@link FixtureAppRegistry} injects into subsequent requests, until {@link #clear()}ed or, for the
 * {@code once} variants, for the next matching request only. One-shot faults are used up first, in order.
 *
 * <pre>{@code
 * registry.faults().listing(Fault.MALFORMED_JSON);
 * registry.faults().listingOnce(Fault.status(503));
 * registry.faults().missingBlob("etcd");
 * registry.faults().clear();
 * }</pre>
 */
public final class Faults {

    private final Map<CnrEndpoint, Fault> persistent = new EnumMap<>(CnrEndpoint.class);
    private final Map<CnrEndpoint, Deque<Fault>> oneShot = new EnumMap<>(CnrEndpoint.class);
    private final Set<String> missingBlobs = new HashSet<>();
    private final Set<String> corruptBlobs = new HashSet<>();

    Faults() {
    }

    /** Injects {@code fault} into every package listing until cleared. */
    public Faults listing(Fault fault) {
        return on(CnrEndpoint.LISTING, fault);
    }

    /** Injects {@code fault} into the next package listing only. */
    public Faults listingOnce(Fault fault) {
        return once(CnrEndpoint.LISTING, fault);
    }

    /** Injects {@code fault} into every request to {@code endpoint} until cleared, replacing its earlier one. */
    public synchronized Faults on(CnrEndpoint endpoint, Fault fault) {
        check(endpoint, fault);
        persistent.put(endpoint, fault);
        return this;
    }

    /** Injects {@code fault} into the next request to {@code endpoint} only. */
    public synchronized Faults once(CnrEndpoint endpoint, Fault fault) {
        check(endpoint, fault);
        oneShot.computeIfAbsent(endpoint, e -> new ArrayDeque<>()).add(fault);
        return this;
    }

    /**
     * Makes every blob of {@code packageName} missing: listing and release still name its digest, but downloading it
     * by digest or by release answers 404, as when the registry lost the blob.
     */
    public synchronized Faults missingBlob(String packageName) {
        missingBlobs.add(packageName);
        return this;
    }

    /** Serves {@code packageName}'s blobs with one byte flipped, so their sha256 no longer matches the digest. */
    public synchronized Faults corruptBlob(String packageName) {
        corruptBlobs.add(packageName);
        return this;
    }

    /** Removes every fault, one-shot or not. */
    public synchronized void clear() {
        persistent.clear();
        oneShot.clear();
        missingBlobs.clear();
        corruptBlobs.clear();
    }

    synchronized Optional<Fault> take(CnrEndpoint endpoint) {
        Deque<Fault> queue = oneShot.get(endpoint);
        if (queue != null && !queue.isEmpty()) {
            return Optional.of(queue.poll());
        }
        return Optional.ofNullable(persistent.get(endpoint));
    }

    synchronized boolean blobMissing(String packageName) {
        return missingBlobs.contains(packageName);
    }

    synchronized boolean blobCorrupt(String packageName) {
        return corruptBlobs.contains(packageName);
    }

    private static void check(CnrEndpoint endpoint, Fault fault) {
        if (fault == null) {
            throw new IllegalArgumentException("fault must not be null");
        }
        boolean jsonOnly = fault instanceof Fault.MalformedJson || fault instanceof Fault.Oversized;
        if (jsonOnly && !endpoint.json()) {
            throw new IllegalArgumentException(fault + " applies to JSON endpoints only, not " + endpoint
                    + "; use Faults.corruptBlob for a damaged archive");
        }
    }
}
