package dev.catalogautopilot.watcher.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class OrderedFanOutTest {

    private static final Duration GRACE = Duration.ofSeconds(10);

    @Test
    void answersInTheItemsOrderWhenLaterItemsFinishFirst() {
        CountDownLatch secondDone = new CountDownLatch(1);
        CountDownLatch thirdDone = new CountDownLatch(1);
        List<String> results = new OrderedFanOut(3, GRACE, "test").map(List.of(0, 1, 2), (item, stop) -> {
            switch (item) {
                case 0 -> await(secondDone);
                case 1 -> {
                    await(thirdDone);
                    secondDone.countDown();
                }
                default -> thirdDone.countDown();
            }
            return "item-" + item;
        });
        assertThat(results).containsExactly("item-0", "item-1", "item-2");
    }

    @Test
    void runsAtMostTheBoundAtOnceAndReachesIt() {
        int bound = 3;
        CountDownLatch allRunning = new CountDownLatch(bound);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Integer> items = IntStream.range(0, 20).boxed().toList();
        List<Integer> results = new OrderedFanOut(bound, GRACE, "test").map(items, (item, stop) -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            allRunning.countDown();
            await(allRunning); // the first three can only go on once all three run together
            sleep(20); // every task stays a moment, so that a fourth one running would be seen
            running.decrementAndGet();
            return item * 2;
        });
        assertThat(results).containsExactlyElementsOf(items.stream().map(i -> i * 2).toList());
        assertThat(most.get()).isEqualTo(bound);
    }

    @Test
    void aFailureStopsTheOtherItemsAndIsThrownOnceTheyHaveEnded() {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        CountDownLatch othersRunning = new CountDownLatch(3);
        List<Integer> items = IntStream.range(0, 50).boxed().toList();
        OrderedFanOut fanOut = new OrderedFanOut(4, GRACE, "test");
        assertThatThrownBy(() -> fanOut.map(items, (item, stop) -> {
            started.incrementAndGet();
            if (item == 3) {
                await(othersRunning);
                throw UpstreamException.badResponse("item 3 is bad");
            }
            running.incrementAndGet();
            try {
                othersRunning.countDown();
                // Busy until stopped, as a task between two requests would be: only the stop ends it.
                while (true) {
                    stop.check();
                    Thread.yield();
                }
            } finally {
                running.decrementAndGet();
            }
        })).isInstanceOf(UpstreamException.class).hasMessage("item 3 is bad");
        assertThat(running.get()).as("every other task has ended when the failure is thrown").isZero();
        // Four running, and at most one more taken by the failed item's thread before the stop was set.
        assertThat(started.get()).as("items not yet started never start").isLessThanOrEqualTo(5);
    }

    @Test
    void interruptsTasksBlockedWhenAnotherFails() {
        AtomicInteger interrupted = new AtomicInteger();
        CountDownLatch blocked = new CountDownLatch(2);
        OrderedFanOut fanOut = new OrderedFanOut(3, GRACE, "test");
        assertThatThrownBy(() -> fanOut.map(List.of(0, 1, 2), (item, stop) -> {
            if (item == 2) {
                await(blocked);
                throw new IllegalStateException("item 2 broke");
            }
            blocked.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(5).toMillis());
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
            }
            stop.check();
            return item;
        })).isInstanceOf(IllegalStateException.class).hasMessage("item 2 broke");
        assertThat(interrupted.get()).isEqualTo(2);
    }

    @Test
    void anEmptyListNeedsNoThreads() {
        assertThat(new OrderedFanOut(8, GRACE, "test").<Integer, Integer>map(List.of(), (item, stop) -> item))
                .isEmpty();
    }

    @Test
    void refusesABoundBelowOne() {
        assertThatThrownBy(() -> new OrderedFanOut(0, GRACE, "test")).isInstanceOf(IllegalArgumentException.class);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new AssertionError("latch never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
