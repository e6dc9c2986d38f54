package dev.switchboard.kit.validation;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A request's free-form metadata (string keys, string or JSON values) within the bounds every service keeps: at most
 * {@value BoundedMetadataValidator#MAX_ENTRIES} entries, keys of 1 to {@value BoundedMetadataValidator#MAX_KEY_LENGTH}
 * characters, values of at most {@value BoundedMetadataValidator#MAX_VALUE_LENGTH}, no null values and no NUL
 * characters. Metadata travels in Kafka records and is stored in PostgreSQL: unbounded, one request could fill a record
 * (and fail as a server error) or make every session listing megabytes long; a NUL would only fail at the database.
 */
@Documented
@Constraint(validatedBy = BoundedMetadataValidator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface BoundedMetadata {
    String message() default "is not valid metadata";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
