package dev.catalogautopilot.audit.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.catalogautopilot.events.EventJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The live fleet matrix, as rollout-service's {@code GET /fleet} reports it. */
public final class LiveFleet {

    private static final ObjectMapper JSON = EventJson.newMapper();

    private LiveFleet() {
    }

    /** Reads {@code <rolloutUrl>/fleet}. */
    public static List<FleetCell> read(URI rolloutUrl) throws IOException, InterruptedException {
        URI fleet = URI.create(rolloutUrl.toString().replaceAll("/+$", "") + "/fleet");
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                .send(HttpRequest.newBuilder(fleet).timeout(Duration.ofSeconds(30)).header("Accept", "application/json")
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + fleet + " answered " + response.statusCode());
        }
        return parse(response.body());
    }

    /** The cells of a fleet matrix document ({@code clusters[].catalogs.<catalog>}); clusters without cells add none. */
    static List<FleetCell> parse(String matrix) throws IOException {
        List<FleetCell> cells = new ArrayList<>();
        for (JsonNode row : JSON.readTree(matrix).path("clusters")) {
            String cluster = row.path("name").asText();
            row.path("catalogs").fields().forEachRemaining(entry -> {
                JsonNode cell = entry.getValue();
                cells.add(new FleetCell(cluster, entry.getKey(), text(cell, "image"), text(cell, "digest"),
                        text(cell, "state"), instant(cell, "since"), text(cell, "causedBy"), text(cell, "rolloutId"),
                        instant(cell, "updatedAt")));
            });
        }
        cells.sort(FleetCell.BY_POSITION);
        return cells;
    }

    private static String text(JsonNode cell, String field) {
        JsonNode value = cell.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant instant(JsonNode cell, String field) {
        JsonNode value = cell.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        // Numeric when a service is configured to write dates as timestamps (seconds with a fraction).
        return value.isNumber() ? Instant.ofEpochSecond(0).plusNanos(value.decimalValue().movePointRight(9)
                .longValueExact()) : Instant.parse(value.asText());
    }
}
