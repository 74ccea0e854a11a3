package dev.catalogautopilot.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catalogautopilot.testing.kafka.SharedKafka;
import dev.catalogautopilot.testing.postgres.TestDatabase;
import dev.catalogautopilot.testing.process.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** The packaged mirror-service boots against the real broker and database, migrates, and reports healthy. */
class MirrorServiceBootIT {

    @Test
    void bootsMigratesAndReportsKafkaAndDatabaseHealthy() throws Exception {
        TestDatabase db = TestDatabase.create("mirror");
        try (ServiceProcess service = ServiceProcess.builder("mirror-service")
                .properties(db.quarkusConfig())
                .property("kafka.bootstrap.servers", SharedKafka.bootstrapServers())
                .start()) {
            HttpResponse<String> ready = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(service.baseUrl() + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"status\": \"UP\"").containsIgnoringCase("kafka")
                    .containsIgnoringCase("database");
            try (var connection = db.connect();
                    ResultSet tables = connection.getMetaData().getTables(null, "public", "processed_event", null)) {
                assertThat(tables.next()).as("Flyway created processed_event").isTrue();
            }
        }
    }
}
