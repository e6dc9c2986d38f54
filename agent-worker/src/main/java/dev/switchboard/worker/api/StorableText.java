package dev.switchboard.worker.api;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Free text of a request that the platform passes on (an utterance, a call's instructions): without NUL characters and
 * lone surrogates, refused as the context gateway refuses them in its own text fields. Both would otherwise be changed
 * on the way instead of refused: UTF-8 has no encoding for a lone surrogate (it leaves as {@code ?}), and the transcript
 * service's PostgreSQL text cannot hold a NUL. Null passes: whether a field is required is another constraint's say.
 */
@Documented
@Constraint(validatedBy = StorableTextValidator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface StorableText {
    String message() default "is not text the platform can carry";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
