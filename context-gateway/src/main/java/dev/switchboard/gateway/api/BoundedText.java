package dev.switchboard.gateway.api;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A text field of a request: required or not, never empty or blank when given, and at most as long as its limit
 * (a configured one for texts and instructions, fixed ones for labels and reasons).
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = BoundedTextValidator.class)
public @interface BoundedText {
    Limit value();

    boolean required() default false;

    String message() default "is not an acceptable text";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    enum Limit {
        /** switchboard.gateway.commands.max-text-length: an injected message, a Say, a goodbye. */
        TEXT,
        /** switchboard.gateway.commands.max-instructions-length: system prompts run long. */
        INSTRUCTIONS,
        LABEL,
        REASON
    }
}
