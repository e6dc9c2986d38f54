package dev.switchboard.stack.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON the CLI reads from the services and writes for scripts: trees only, no bound classes. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** The document, or null when the text is not JSON. */
    static JsonNode parseOrNull(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The document a service answered; one that is not JSON is the service's fault, reported as an API error. */
    static JsonNode parse(String text, ApiClient.Service service) {
        JsonNode node = parseOrNull(text);
        if (node == null) {
            throw new CliException(CliException.API_ERROR, service.title + " answered with something that is not JSON");
        }
        return node;
    }

    /** A member's text, or null when it is absent or null. */
    static String text(JsonNode node, String member) {
        JsonNode value = node.get(member);
        return value == null || value.isNull() ? null : value.asText();
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
