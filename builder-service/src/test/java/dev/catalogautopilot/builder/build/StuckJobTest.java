package dev.catalogautopilot.builder.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.builder.build.BuildJob.Status;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StuckJobTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration DEADLINE = Duration.ofMinutes(30);

    @Test
    void aRunningJobWithALiveLeaseIsLeftToItsRunner() {
        assertThat(decide(Status.RUNNING, 1, NOW.plusSeconds(30), NOW.plusSeconds(600))).isInstanceOf(StuckJob.Healthy.class);
        assertThat(decide(Status.QUEUED, 1, null, NOW.plusSeconds(600))).isInstanceOf(StuckJob.Healthy.class);
        assertThat(decide(Status.SUCCEEDED, 3, null, NOW.minusSeconds(600))).isInstanceOf(StuckJob.Healthy.class);
    }

    @Test
    void aJobWhoseWorkerDiedRunsAgainUntilItsAttemptsAreUsedUp() {
        assertThat(decide(Status.RUNNING, 1, NOW.minusSeconds(1), NOW.plusSeconds(600)))
                .isEqualTo(new StuckJob.Requeue("the build's worker stopped (crashed, killed or out of memory) or made "
                        + "no progress during attempt 1; queued for attempt 2 of 3"));
        assertThat(decide(Status.RUNNING, 3, NOW.minusSeconds(1), NOW.plusSeconds(600)))
                .isEqualTo(new StuckJob.Fail("the build's worker stopped (crashed, killed or out of memory) or made "
                        + "no progress during attempt 3; gave up after 3 attempts"));
    }

    @Test
    void anOpenJobPastItsDeadlineFailsWhateverItsLease() {
        StuckJob.Fail expected = new StuckJob.Fail("the build exceeded its deadline of 30m (attempt 2 of 3)");
        assertThat(decide(Status.RUNNING, 2, NOW.plusSeconds(60), NOW.minusSeconds(1))).isEqualTo(expected);
        assertThat(decide(Status.QUEUED, 2, NOW.plusSeconds(5), NOW.minusSeconds(1))).isEqualTo(expected);
    }

    private static StuckJob decide(Status status, int attempts, Instant leaseUntil, Instant deadlineAt) {
        return StuckJob.decide(status, attempts, leaseUntil, deadlineAt, NOW, 3, DEADLINE);
    }
}
