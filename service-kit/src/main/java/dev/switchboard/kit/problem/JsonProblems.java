package dev.switchboard.kit.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** Says what is wrong with a JSON request body, naming the field where Jackson knows it. */
public final class JsonProblems {
    private JsonProblems() {
    }

    public static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(Objects::toString).sorted().collect(Collectors.joining(", "));
            return path(unknown) + " is not a field of this request" + (known.isEmpty() ? "" : "; its fields are " + known);
        }
        if (e instanceof MismatchedInputException mismatch) {
            if (isTrailingContent(mismatch)) {
                return "the request body is not valid JSON: more follows its JSON value (a request holds one JSON object)";
            }
            if (mismatch.getPath().isEmpty()) {
                return "the request body must be a JSON object";
            }
            return path(mismatch) + " must be " + expected(mismatch.getTargetType());
        }
        return "the request body is not valid JSON: " + e.getOriginalMessage();
    }

    /** DeserializationFeature.FAIL_ON_TRAILING_TOKENS's refusal, which Jackson gives no type of its own. */
    private static boolean isTrailingContent(MismatchedInputException e) {
        String message = e.getOriginalMessage();
        return message != null && (message.startsWith("Trailing token") || message.contains("FAIL_ON_TRAILING_TOKENS"));
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a JSON array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a JSON object";
        }
        return "a JSON object";
    }
}
