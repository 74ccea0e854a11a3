package dev.catalogautopilot.outbox.consumer;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN while a consumer is stuck: a record in flight for {@code consumer-retry.stuck-after} or longer, typically
 * retried because its database or broker is unreachable. The data names each stuck topic, the record and the last
 * failure. Retries go on meanwhile, and the check comes back UP once the record is processed.
 */
@Liveness
@Readiness
@ApplicationScoped
public class ConsumerHealthCheck implements HealthCheck {

    private final ConsumerRetry retry;

    public ConsumerHealthCheck(ConsumerRetry retry) {
        this.retry = retry;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka-consumers").up();
        for (ConsumerStatus status : retry.status()) {
            if (status.stuck()) {
                response.down().withData(status.topic(), "stuck: " + status.inFlight() + " in flight for "
                        + status.inFlightFor() + ", " + status.attempts() + " attempts; last failure: "
                        + status.lastFailure());
            }
        }
        return response.build();
    }
}
