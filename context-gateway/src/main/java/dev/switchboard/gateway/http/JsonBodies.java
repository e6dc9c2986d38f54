package dev.switchboard.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.inject.Singleton;

import java.util.stream.Collectors;

/**
 * Reads request bodies. Bodies arrive as text and are parsed here, so that every JSON mistake gets a message that
 * names the field, a body is accepted whatever Content-Type a hand-written curl sends, and endpoints whose body is
 * optional accept none at all. Unknown fields are ignored (the Quarkus default).
 */
@Singleton
public class JsonBodies {
    private final ObjectMapper mapper;

    JsonBodies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The parsed body, or null when the body is empty or the JSON literal null. */
    public <T> T optional(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return mapper.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw ProblemException.invalid(describe(e));
        }
    }

    /** The parsed body; a missing body is a bad request, and the example shows what was expected. */
    public <T> T required(String body, Class<T> type, String example) {
        T parsed = optional(body, type);
        if (parsed == null) {
            throw ProblemException.invalid("a JSON body is required, e.g. " + example);
        }
        return parsed;
    }

    /** Says what is wrong with the JSON, naming the field where Jackson knows it. */
    static String describe(JsonProcessingException e) {
        if (e instanceof MismatchedInputException mismatch) {
            if (mismatch.getPath().isEmpty()) {
                return "the request body must be a JSON object";
            }
            return path(mismatch) + " must be " + expected(mismatch.getTargetType());
        }
        return "the request body is not valid JSON: " + e.getOriginalMessage();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        return "a JSON object";
    }
}
