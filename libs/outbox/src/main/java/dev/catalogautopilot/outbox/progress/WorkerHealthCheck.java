package dev.catalogautopilot.outbox.progress;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN while a worker loop (a runner, poller or reconciler watched by {@link ProgressWatchdogs}) has made no
 * progress past its bound; the data names each loop and, when stuck, why. Work lives in PostgreSQL, so the
 * orchestrator's restart resumes it.
 */
@Liveness
@Readiness
@ApplicationScoped
public class WorkerHealthCheck implements HealthCheck {

    private final ProgressWatchdogs watchdogs;

    public WorkerHealthCheck(ProgressWatchdogs watchdogs) {
        this.watchdogs = watchdogs;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("workers").up();
        for (ProgressWatchdog watchdog : watchdogs.all()) {
            Optional<String> stuck = watchdog.stuck();
            if (stuck.isPresent()) {
                response.down().withData(watchdog.name(), "stuck: " + stuck.get());
            } else {
                response.withData(watchdog.name(), "progress " + watchdog.lastProgress());
            }
        }
        return response.build();
    }
}
