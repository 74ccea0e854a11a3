package dev.catalogautopilot.outbox.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class ProgressWatchdogTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ProgressWatchdog watchdog = new ProgressWatchdog("build-runner", Duration.ofMinutes(5), clock);

    @Test
    void anIdleLoopThatKeepsPassingIsHealthy() {
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofMinutes(4));
            watchdog.idle();
        }
        assertThat(watchdog.stuck()).isEmpty();
    }

    @Test
    void workWithoutProgressPastTheBoundIsStuckAndNamed() {
        watchdog.working("job 7 of catalog redhat");
        clock.advance(Duration.ofMinutes(5));
        assertThat(watchdog.stuck()).as("exactly at the bound").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(watchdog.stuck()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("job 7 of catalog redhat").contains("PT5M"));
        watchdog.progressed();
        assertThat(watchdog.stuck()).isEmpty();
    }

    @Test
    void aLoopThatStoppedPassingIsStuck() {
        watchdog.idle();
        clock.advance(Duration.ofMinutes(6));
        assertThat(watchdog.stuck()).hasValueSatisfying(reason -> assertThat(reason).contains("has not passed"));
    }

    @Test
    void aBoundMustBePositive() {
        assertThatThrownBy(() -> new ProgressWatchdog("x", Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theHealthCheckAndGaugesFollowEveryWatchdog() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ProgressWatchdogs watchdogs = new ProgressWatchdogs(registry, clock);
        ProgressWatchdog runner = watchdogs.watch("runner", Duration.ofMinutes(1));
        watchdogs.watch("reconciler", Duration.ofMinutes(10)).idle();
        WorkerHealthCheck health = new WorkerHealthCheck(watchdogs);
        assertThat(health.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

        runner.working("job 1");
        clock.advance(Duration.ofMinutes(2));
        HealthCheckResponse down = health.call();
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(down.getData().orElseThrow().get("runner").toString()).contains("stuck").contains("job 1");
        assertThat(registry.get("worker.stuck").tag("worker", "runner").gauge().value()).isEqualTo(1);
        assertThat(registry.get("worker.stuck").tag("worker", "reconciler").gauge().value()).isEqualTo(0);
        assertThat(registry.get("worker.progress.age").tag("worker", "runner").gauge().value()).isEqualTo(120);

        runner.idle();
        assertThat(health.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(watchdogs.watch("runner", Duration.ofHours(1))).as("one watchdog per name").isSameAs(runner);
    }

    @Test
    void countGaugesHoldTheLastRefreshWithMissingValuesAtZero() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CountGauges gauges = new CountGauges(registry, "jobs", "jobs by state", "state", List.of("QUEUED", "RUNNING"));
        gauges.update(Map.of("QUEUED", 3L, "RUNNING", 1L));
        gauges.update(Map.of("QUEUED", 2L));
        assertThat(registry.get("jobs").tag("state", "QUEUED").gauge().value()).isEqualTo(2);
        assertThat(registry.get("jobs").tag("state", "RUNNING").gauge().value()).isEqualTo(0);
    }

    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
