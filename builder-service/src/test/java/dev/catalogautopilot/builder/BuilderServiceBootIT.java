package dev.catalogautopilot.builder;

import dev.catalogautopilot.testing.process.ServiceBootCheck;
import org.junit.jupiter.api.Test;

/** The packaged builder-service boots against the real broker and database, migrates, and reports healthy. */
class BuilderServiceBootIT {

    @Test
    void bootsMigratesAndReportsKafkaAndDatabaseHealthy() throws Exception {
        ServiceBootCheck.assertBootsHealthy("builder-service");
    }
}
