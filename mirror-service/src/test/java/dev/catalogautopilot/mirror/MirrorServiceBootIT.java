package dev.catalogautopilot.mirror;

import dev.catalogautopilot.testing.process.ServiceBootCheck;
import org.junit.jupiter.api.Test;

/** The packaged mirror-service boots against the real broker and database, migrates, and reports healthy. */
class MirrorServiceBootIT {

    @Test
    void bootsMigratesAndReportsKafkaAndDatabaseHealthy() throws Exception {
        ServiceBootCheck.assertBootsHealthy("mirror-service");
    }
}
