package dev.catalogautopilot.rollout.run;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN while the rollout runner is stuck (no driver pass, or cluster workers the reconciler could not take over,
 * past {@code rollout.stuck-after}): a restart resumes every rollout from its checkpoints.
 */
@Liveness
@Readiness
@ApplicationScoped
public class RunnerHealth implements HealthCheck {

    private final RolloutDriver driver;

    public RunnerHealth(RolloutDriver driver) {
        this.driver = driver;
    }

    @Override
    public HealthCheckResponse call() {
        Optional<String> stuck = driver.stuck();
        return HealthCheckResponse.named("rollout-runner").status(stuck.isEmpty())
                .withData("stuck", stuck.orElse("no")).build();
    }
}
