package dev.switchboard.gateway.api;

import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.kit.validation.Unicode;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Provider;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/**
 * Checks {@link BoundedText}; one instance per annotated field (it keeps the field's limit). The configuration is
 * read when the first request is validated, not when the validator is created: validators may be created while
 * Quarkus starts, before it is available. It is kept then: the configuration is a dependent bean, which each
 * {@code Provider.get()} would build anew.
 */
@Dependent
public class BoundedTextValidator implements ConstraintValidator<BoundedText, String> {
    static final int MAX_LABEL_LENGTH = 200;
    static final int MAX_REASON_LENGTH = 1000;

    private final Provider<GatewayConfig> config;
    private BoundedText.Limit limit;
    private boolean required;
    private int configuredMax = -1;

    BoundedTextValidator(Provider<GatewayConfig> config) {
        this.config = config;
    }

    @Override
    public void initialize(BoundedText annotation) {
        limit = annotation.value();
        required = annotation.required();
    }

    private int max() {
        if (configuredMax < 0) {
            configuredMax = switch (limit) {
                case TEXT -> config.get().commands().maxTextLength();
                case INSTRUCTIONS -> config.get().commands().maxInstructionsLength();
                case LABEL -> MAX_LABEL_LENGTH;
                case REASON -> MAX_REASON_LENGTH;
            };
        }
        return configuredMax;
    }

    /** Characters as people count them: an emoji outside the Basic Multilingual Plane is one, not two UTF-16 units. */
    private static int characters(String value) {
        return value.codePointCount(0, value.length());
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        String problem;
        if (value == null) {
            problem = required ? "is required" : null;
        } else if (value.isEmpty()) {
            problem = "must not be empty";
        } else if (value.isBlank()) {
            problem = "must not be blank";
        } else if (value.indexOf('\0') >= 0) {
            // Nothing downstream can keep it: PostgreSQL's text refuses NUL, so a hang-up reason carrying one would
            // reach the transcript service in the session's end and be refused there.
            problem = "must not contain NUL characters";
        } else if (Unicode.hasLoneSurrogate(value)) {
            problem = Unicode.LONE_SURROGATE;
        } else if (limit == BoundedText.Limit.LABEL && value.chars().anyMatch(Character::isISOControl)) {
            // A label names something (an agent, a command's origin) on one line of a list or a log: an escape
            // sequence or a line break in it would rewrite what an operator's terminal shows.
            problem = "must not contain control characters";
        } else if (value.length() > max() && characters(value) > max()) {
            problem = "is " + characters(value) + " characters long; at most " + max() + " are allowed";
        } else {
            problem = null;
        }
        if (problem == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
        return false;
    }
}
