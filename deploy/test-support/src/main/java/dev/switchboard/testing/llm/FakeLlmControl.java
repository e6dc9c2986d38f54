package dev.switchboard.testing.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/** Scripts a {@link FakeLlmServer} over HTTP, from any process or class loader. */
public final class FakeLlmControl {
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String controlUrl;

    /** @param baseUrl the LLM base URL a client is configured with, e.g. http://127.0.0.1:1234/v1 */
    public FakeLlmControl(String baseUrl) {
        this.controlUrl = baseUrl.replaceAll(FakeLlmServer.BASE_PATH + "/?$", "") + "/__control";
    }

    /** The next answer: text only. */
    public FakeLlmControl replyText(String text) {
        return reply(json.createObjectNode().put("text", text));
    }

    /** The next answer: text (may be empty) and one tool call. */
    public FakeLlmControl replyWithTool(String text, String tool, Map<String, Object> arguments) {
        ObjectNode reply = json.createObjectNode().put("text", text);
        reply.putArray("toolCalls").addObject().put("name", tool).set("arguments", json.valueToTree(arguments));
        return reply(reply);
    }

    /** The next answer: an HTTP error. */
    public FakeLlmControl replyStatus(int status) {
        return reply(json.createObjectNode().put("status", status));
    }

    public FakeLlmControl reply(JsonNode reply) {
        ArrayNode body = json.createArrayNode().add(reply);
        send(HttpRequest.newBuilder(URI.create(controlUrl + "/replies")).POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        return this;
    }

    /** Every chat-completion request received so far, oldest first. */
    public List<JsonNode> requests() {
        String body = send(HttpRequest.newBuilder(URI.create(controlUrl + "/requests")).GET());
        try {
            return StreamSupport.stream(json.readTree(body).spliterator(), false).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The messages of the most recent request. */
    public List<JsonNode> lastMessages() {
        List<JsonNode> all = requests();
        if (all.isEmpty()) {
            throw new AssertionError("the fake LLM received no request");
        }
        return StreamSupport.stream(all.getLast().path("messages").spliterator(), false).toList();
    }

    public void reset() {
        send(HttpRequest.newBuilder(URI.create(controlUrl + "/reset")).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private String send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException("fake LLM control answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the fake LLM", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
