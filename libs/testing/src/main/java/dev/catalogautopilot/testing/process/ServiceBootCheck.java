package dev.catalogautopilot.testing.process;

import dev.catalogautopilot.testing.kafka.SharedKafka;
import dev.catalogautopilot.testing.postgres.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;

/**
 * Starts a packaged service against the real broker and a fresh database and checks what every service must do
 * on boot: migrate its schema, report Kafka and the database healthy, and expose the outbox and consumer status
 * and metrics of libs/outbox.
 */
public final class ServiceBootCheck {

    private ServiceBootCheck() {
    }

    public static void assertBootsHealthy(String service) throws Exception {
        TestDatabase db = TestDatabase.create(service.replace('-', '_'));
        try (ServiceProcess process = ServiceProcess.builder(service)
                .properties(db.quarkusConfig())
                .property("kafka.bootstrap.servers", SharedKafka.bootstrapServers())
                .start()) {
            HttpResponse<String> ready = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(process.baseUrl() + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            require(ready.statusCode() == 200, service + " readiness answered " + ready.statusCode() + ": " + ready.body());
            String body = ready.body().toLowerCase(java.util.Locale.ROOT);
            require(body.contains("\"status\": \"up\"") && body.contains("kafka") && body.contains("database"),
                    service + " readiness lacks Kafka or database checks: " + ready.body());
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(process.baseUrl() + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            require(metrics.statusCode() == 200 && metrics.body().contains("outbox_pending")
                            && metrics.body().contains("outbox_parked_events"),
                    service + " does not expose the outbox metrics on /q/metrics: " + metrics.statusCode());
            for (String status : new String[] {"/outbox/status", "/outbox/parked", "/consumers"}) {
                HttpResponse<String> answer = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(process.baseUrl() + status)).build(),
                        HttpResponse.BodyHandlers.ofString());
                require(answer.statusCode() == 200, service + " " + status + " answered " + answer.statusCode()
                        + ": " + answer.body());
            }
            try (Connection connection = db.connect();
                    ResultSet tables = connection.getMetaData().getTables(null, "public", "outbox_event", null)) {
                require(tables.next(), service + " did not migrate its schema (no outbox_event table)");
            }
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
