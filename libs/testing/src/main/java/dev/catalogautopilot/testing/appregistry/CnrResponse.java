package dev.catalogautopilot.testing.appregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** One HTTP answer of the fixture, built before it is sent so that faults can distort it. */
record CnrResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    static final ObjectMapper JSON = new ObjectMapper();

    static CnrResponse json(int status, JsonNode node) {
        try {
            return new CnrResponse(status, "application/json", JSON.writeValueAsBytes(node), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CNR's error body: {@code {"error":{"code","message","details"}}}. */
    static CnrResponse error(int status, String code, String message, Map<String, ?> details) {
        ObjectNode error = JSON.createObjectNode();
        ObjectNode inner = error.putObject("error").put("code", code).put("message", message);
        inner.set("details", JSON.valueToTree(details));
        return json(status, error);
    }

    CnrResponse withBody(byte[] newBody) {
        return new CnrResponse(status, contentType, newBody, headers);
    }

    CnrResponse withHeader(String name, String value) {
        Map<String, String> all = new HashMap<>(headers);
        all.put(name, value);
        return new CnrResponse(status, contentType, body, Map.copyOf(all));
    }

    void send(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }
}
