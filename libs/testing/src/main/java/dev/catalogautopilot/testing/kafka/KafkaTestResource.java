package dev.catalogautopilot.testing.kafka;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points a {@code @QuarkusTest} application at the shared real Kafka broker. */
public final class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", SharedKafka.bootstrapServers());
    }

    @Override
    public void stop() {
        // The broker outlives the application: other test classes in this JVM use it too.
    }
}
