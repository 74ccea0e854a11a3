package dev.catalogautopilot.rollout;

import dev.catalogautopilot.testing.process.ServiceBootCheck;
import org.junit.jupiter.api.Test;

/**
 * The packaged rollout-service boots against the real broker and database, migrates, reports healthy, and sends a
 * record it cannot decode to the dead-letter topic without stopping.
 */
class RolloutServiceBootIT {

    @Test
    void bootsMigratesAndReportsKafkaAndDatabaseHealthy() throws Exception {
        ServiceBootCheck.assertBootsHealthy("rollout-service");
    }
}
