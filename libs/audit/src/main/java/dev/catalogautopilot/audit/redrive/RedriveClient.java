package dev.catalogautopilot.audit.redrive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.catalogautopilot.events.EventJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * Asks rollout-service ({@code POST /rollouts/redrive}) to roll a catalog out again from an earlier
 * catalog-mirrored event, with HTTP Basic credentials that never leave this object except in the request header.
 */
public final class RedriveClient {

    private static final ObjectMapper JSON = EventJson.newMapper();

    private final URI endpoint;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public RedriveClient(URI rolloutUrl, String user, String password) {
        this.endpoint = URI.create(rolloutUrl.toString().replaceAll("/+$", "") + "/rollouts/redrive");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (Objects.requireNonNull(user, "user") + ":" + Objects.requireNonNull(password, "password"))
                        .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The service's answer. {@code accepted} for a new re-drive (202) and for a repeated request id (200, with
     * {@code repeated}); otherwise {@code error} says why it was refused.
     */
    public record Answer(int status, String rolloutId, String correlationId, String eventId, String replays,
            String error) {

        public boolean accepted() {
            return status == 200 || status == 202;
        }

        public boolean repeated() {
            return status == 200;
        }
    }

    /** Sends the request; {@code reason} may be null. The same {@code requestId} re-drives once. */
    public Answer redrive(String catalog, String eventId, String reason, String requestId)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("catalog", catalog).put("eventId", eventId)
                .put("requestId", requestId);
        if (reason != null) {
            body.put("reason", reason);
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode answer = parse(response.body());
        return new Answer(response.statusCode(), text(answer, "rolloutId"), text(answer, "correlationId"),
                text(answer, "eventId"), text(answer, "replays"), response.statusCode() == 200
                        || response.statusCode() == 202 ? null : errorOf(response.statusCode(), answer));
    }

    private static String errorOf(int status, JsonNode answer) {
        String error = text(answer, "error");
        if (error != null) {
            return error;
        }
        return switch (status) {
            case 401 -> "the credentials were not accepted";
            case 403 -> "the user lacks the redrive role";
            default -> "HTTP " + status;
        };
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException notJson) {
            return JSON.createObjectNode();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    @Override
    public String toString() {
        return "RedriveClient[" + endpoint + "]";
    }
}
