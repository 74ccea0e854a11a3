package dev.catalogautopilot.watcher.appregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.events.catalog.PackageSnapshot;
import dev.catalogautopilot.watcher.change.PackageFilter;
import dev.catalogautopilot.watcher.change.UpstreamSnapshot;
import dev.catalogautopilot.watcher.poll.OrderedFanOut;
import dev.catalogautopilot.watcher.poll.Retrier;
import dev.catalogautopilot.watcher.poll.UpstreamException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The reader against a fake App Registry that counts the requests in flight. */
@Timeout(60)
class AppRegistryReaderTest {

    private static final String NAMESPACE = "community-operators";
    private static final String TOKEN = "basic dG9rZW4=";
    private static final int PACKAGES = 40;
    private static final int BOUND = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsEveryPackageWithTheBoundOfRequestsInFlightAndNoMore() {
        FakeApi api = new FakeApi(PACKAGES);
        CountDownLatch allInFlight = new CountDownLatch(BOUND);
        api.onRelease = name -> {
            allInFlight.countDown();
            await(allInFlight); // the first four can only answer once four are in flight together
            hold(); // and every request stays a moment, so that a fifth one in flight would be seen
            return null;
        };
        UpstreamSnapshot snapshot = reader(api, BOUND).read(PackageFilter.of(List.of(), List.of()), Map.of());

        assertThat(snapshot.packages().keySet()).containsExactlyInAnyOrderElementsOf(api.names);
        assertThat(snapshot.packages().get("pkg-007")).isEqualTo(api.fingerprint(7));
        assertThat(api.mostInFlight.get()).isEqualTo(BOUND);
        assertThat(api.releaseCalls).hasSize(PACKAGES);
        assertThat(api.blobCalls).as("every new package's archive verified").hasSize(PACKAGES);
        assertThat(api.tokens).as("every request carries the token").containsOnly(TOKEN);
    }

    @Test
    void unchangedPackagesAreNotDownloadedAgainAndAChangedOneIs() {
        FakeApi api = new FakeApi(PACKAGES);
        Map<String, PackageSnapshot> known = reader(api, BOUND).read(PackageFilter.of(List.of(), List.of()), Map.of())
                .packages();
        api.blobCalls.clear();
        api.publish(12);

        UpstreamSnapshot next = reader(api, BOUND).read(PackageFilter.of(List.of(), List.of()), known);
        assertThat(api.blobCalls).containsExactly("pkg-012");
        assertThat(next.packages().get("pkg-012").defaultRelease()).isEqualTo("2.0.0");
        assertThat(next.revision()).isNotEqualTo(UpstreamSnapshot.ofPackages(List.copyOf(known.values())).revision());
    }

    @Test
    void theSnapshotIsTheSameWhateverTheBound() {
        UpstreamSnapshot sequential = reader(new FakeApi(PACKAGES), 1)
                .read(PackageFilter.of(List.of(), List.of("pkg-003")), Map.of());
        UpstreamSnapshot concurrent = reader(new FakeApi(PACKAGES), 16)
                .read(PackageFilter.of(List.of(), List.of("pkg-003")), Map.of());
        assertThat(concurrent).isEqualTo(sequential);
        assertThat(concurrent.revision()).isEqualTo(sequential.revision());
        assertThat(concurrent.packages()).hasSize(PACKAGES - 1).doesNotContainKey("pkg-003");
    }

    @Test
    void onePackageFailingAmongManyFailsThePollAndStopsTheOthers() {
        FakeApi api = new FakeApi(PACKAGES);
        CountDownLatch othersWaiting = new CountDownLatch(BOUND - 1);
        api.onRelease = name -> {
            if (name.equals("pkg-005")) {
                await(othersWaiting);
                throw new WebApplicationException(404);
            }
            if (name.compareTo("pkg-005") > 0) {
                othersWaiting.countDown();
                try {
                    Thread.sleep(Duration.ofMinutes(5).toMillis()); // a slow upstream: only the stop ends it
                } catch (InterruptedException e) {
                    throw new ProcessingException(e); // what the REST client answers when interrupted
                }
            }
            return null;
        };
        AppRegistryReader reader = reader(api, BOUND);

        assertThatThrownBy(() -> reader.read(PackageFilter.of(List.of(), List.of()), Map.of()))
                .isInstanceOf(UpstreamException.class)
                .hasMessage("release 1.0.0 of community-operators/pkg-005 failed: HTTP 404");
        assertThat(api.inFlight.get()).as("no request still running once the poll has failed").isZero();
        assertThat(api.releaseCalls.size()).as("packages not yet started are never asked for")
                .isLessThanOrEqualTo(6 + BOUND);
        assertThat(api.releaseCalls).as("an interrupted request is not retried after the stop")
                .doesNotHaveDuplicates();
    }

    @Test
    void aCorruptArchiveOfOnePackageFailsThePoll() {
        FakeApi api = new FakeApi(PACKAGES);
        api.corrupt.add("pkg-021");
        assertThatThrownBy(() -> reader(api, BOUND).read(PackageFilter.of(List.of(), List.of()), Map.of()))
                .isInstanceOf(UpstreamException.class)
                .hasMessageContaining("of community-operators/pkg-021 release 1.0.0 does not match its digest");
    }

    @Test
    void aTransientFailureIsRetriedByTheRetrierAlone() {
        FakeApi api = new FakeApi(PACKAGES);
        AtomicInteger failures = new AtomicInteger();
        api.onRelease = name -> {
            if (name.equals("pkg-030") && failures.getAndIncrement() < 2) {
                throw new WebApplicationException(503);
            }
            return null;
        };
        UpstreamSnapshot snapshot = reader(api, BOUND).read(PackageFilter.of(List.of(), List.of()), Map.of());
        assertThat(snapshot.packages()).hasSize(PACKAGES);
        assertThat(api.releaseCalls.stream().filter("pkg-030"::equals)).hasSize(3);
    }

    @Test
    void aBadListingEntryFailsBeforeAnyReleaseIsAskedFor() {
        FakeApi api = new FakeApi(PACKAGES);
        api.listingOverride = "[{\"name\":\"community-operators/good\",\"default\":\"1.0.0\",\"releases\":[\"1.0.0\"]},"
                + "{\"name\":\"community-operators/bad\",\"releases\":[]}]";
        assertThatThrownBy(() -> reader(api, BOUND).read(PackageFilter.of(List.of(), List.of()), Map.of()))
                .isInstanceOf(UpstreamException.class)
                .hasMessage("package community-operators/bad has no default release");
        assertThat(api.releaseCalls).isEmpty();
    }

    private static AppRegistryReader reader(FakeApi api, int bound) {
        return new AppRegistryReader(api, NAMESPACE, new AppRegistryCredentials(TOKEN, null, null), 1 << 20,
                new Retrier(4, Duration.ofMillis(1)), new OrderedFanOut(bound, Duration.ofSeconds(10), "test"),
                JSON);
    }

    private static void hold() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessingException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new AssertionError("latch never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessingException(e);
        }
    }

    /** Packages {@code pkg-000}…, release 1.0.0 each, whose archive is the text naming package and release. */
    private static final class FakeApi implements AppRegistryApi {

        final List<String> names;
        final Map<String, String> latest = new ConcurrentHashMap<>();
        final Set<String> corrupt = ConcurrentHashMap.newKeySet();
        final List<String> releaseCalls = Collections.synchronizedList(new ArrayList<>());
        final List<String> blobCalls = Collections.synchronizedList(new ArrayList<>());
        final Set<String> tokens = ConcurrentHashMap.newKeySet();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostInFlight = new AtomicInteger();
        volatile Function<String, Void> onRelease = name -> null;
        volatile String listingOverride;

        FakeApi(int packages) {
            names = IntStream.range(0, packages).mapToObj(i -> String.format("pkg-%03d", i)).toList();
            names.forEach(n -> latest.put(n, "1.0.0"));
        }

        void publish(int index) {
            latest.put(names.get(index), "2.0.0");
        }

        PackageSnapshot fingerprint(int index) {
            String name = names.get(index);
            return new PackageSnapshot(name, latest.get(name), List.of(latest.get(name)), "sha256:" + digest(name));
        }

        @Override
        public InputStream login(String body) {
            throw new AssertionError("a token needs no login");
        }

        @Override
        public InputStream listPackages(String namespace, String mediaType, String token) {
            tokens.add(token);
            if (listingOverride != null) {
                return text(listingOverride);
            }
            StringBuilder listing = new StringBuilder("[");
            for (String name : names) {
                listing.append(listing.length() > 1 ? "," : "").append("{\"name\":\"").append(NAMESPACE).append('/')
                        .append(name).append("\",\"default\":\"").append(latest.get(name))
                        .append("\",\"releases\":[\"").append(latest.get(name)).append("\"]}");
            }
            return text(listing.append(']').toString());
        }

        @Override
        public InputStream release(String namespace, String pkg, String release, String token) {
            tokens.add(token);
            releaseCalls.add(pkg);
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                onRelease.apply(pkg);
                return text("{\"release\":\"" + release + "\",\"content\":{\"digest\":\"" + digest(pkg)
                        + "\",\"mediaType\":\"application/vnd.cnr.package.helm.v0.tar+gzip\"}}");
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public InputStream blob(String namespace, String pkg, String digest, String token) {
            tokens.add(token);
            blobCalls.add(pkg);
            return new ByteArrayInputStream(archive(pkg + (corrupt.contains(pkg) ? "-corrupt" : "")));
        }

        private String digest(String pkg) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive(pkg)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private byte[] archive(String pkg) {
            return ("archive of " + pkg + " " + latest.getOrDefault(pkg.replace("-corrupt", ""), "?"))
                    .getBytes(StandardCharsets.UTF_8);
        }

        private static InputStream text(String body) {
            return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
        }
    }
}
