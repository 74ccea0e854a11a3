package dev.catalogautopilot.testing.kafka;

import dev.catalogautopilot.kafka.KafkaBroker;

/**
 * One real KRaft broker per test JVM, started on first use and stopped when the JVM exits.
 *
 * <p>Set {@code CATALOG_AUTOPILOT_KAFKA_BOOTSTRAP} to use a broker that is already running instead.
 * Tests share the broker, so each test names its own catalogs and reads only the events of those.
 */
public final class SharedKafka {

    private static KafkaBroker broker;
    private static String external = System.getenv("CATALOG_AUTOPILOT_KAFKA_BOOTSTRAP");

    private SharedKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (external != null && !external.isBlank()) {
            return external;
        }
        if (broker == null || !broker.isRunning()) {
            broker = KafkaBroker.start();
            KafkaBroker started = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "kafka-broker-stop"));
        }
        return broker.bootstrapServers();
    }
}
