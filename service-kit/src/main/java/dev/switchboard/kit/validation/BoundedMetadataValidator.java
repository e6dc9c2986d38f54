package dev.switchboard.kit.validation;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

import java.util.Map;

/** Checks {@link BoundedMetadata}: the first problem found is the violation, naming the entry it is about. */
public class BoundedMetadataValidator implements ConstraintValidator<BoundedMetadata, Map<String, ?>> {
    public static final int MAX_ENTRIES = 50;
    public static final int MAX_KEY_LENGTH = 200;
    public static final int MAX_VALUE_LENGTH = 4000;

    /** What is wrong, as a message template and the entry's key it names (a message parameter, never interpolated). */
    private record Problem(String template, String key) {
    }

    @Override
    public boolean isValid(Map<String, ?> metadata, ConstraintValidatorContext context) {
        if (metadata == null) {
            return true;
        }
        Problem problem = problem(metadata);
        if (problem == null) {
            return true;
        }
        HibernateConstraintValidatorContext hibernate = context.unwrap(HibernateConstraintValidatorContext.class);
        hibernate.disableDefaultConstraintViolation();
        hibernate.addMessageParameter("key", problem.key() == null ? "" : problem.key())
                .addMessageParameter("entries", metadata.size())
                .buildConstraintViolationWithTemplate(problem.template()).addConstraintViolation();
        return false;
    }

    private static Problem problem(Map<String, ?> metadata) {
        if (metadata.size() > MAX_ENTRIES) {
            return new Problem("has {entries} entries; at most " + MAX_ENTRIES + " are allowed", null);
        }
        for (Map.Entry<String, ?> entry : metadata.entrySet()) {
            String key = entry.getKey();
            if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH || key.indexOf('\0') >= 0) {
                return new Problem("keys must be 1 to " + MAX_KEY_LENGTH + " characters long, not blank, without NUL characters", null);
            }
            if (Unicode.hasLoneSurrogate(key)) {
                return new Problem("keys must be valid Unicode; one has a lone surrogate", null);
            }
            Object value = entry.getValue();
            if (value == null || (value instanceof JsonNode json && json.isNull())) {
                return new Problem("entry '{key}' must not be null (leave it out)", key);
            }
            String text = value instanceof JsonNode json && json.isTextual() ? json.asText() : value.toString();
            if (text.length() > MAX_VALUE_LENGTH) {
                return new Problem("entry '{key}' is " + text.length() + " characters long; at most " + MAX_VALUE_LENGTH + " are allowed", key);
            }
            // A JSON value that is not a string carries its NUL escaped, which PostgreSQL's jsonb refuses as well.
            if (text.indexOf('\0') >= 0 || (value instanceof JsonNode json && !json.isTextual() && text.contains("\\u0000"))) {
                return new Problem("entry '{key}' must not contain NUL characters", key);
            }
            if (Unicode.hasLoneSurrogate(text)) {
                return new Problem("entry '{key}' " + Unicode.LONE_SURROGATE, key);
            }
        }
        return null;
    }
}
