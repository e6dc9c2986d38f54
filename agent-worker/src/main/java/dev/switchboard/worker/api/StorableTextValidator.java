package dev.switchboard.worker.api;

import dev.switchboard.kit.validation.Unicode;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/**
 * Checks {@link StorableText} in the context gateway's words (its text fields' validator): the field's name goes before
 * the message, so a client reads "text must not contain NUL characters" whichever of the two it called.
 */
public class StorableTextValidator implements ConstraintValidator<StorableText, String> {

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        String problem = value == null ? null
                : value.indexOf('\0') >= 0 ? "must not contain NUL characters"
                : Unicode.hasLoneSurrogate(value) ? Unicode.LONE_SURROGATE
                : null;
        if (problem == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
        return false;
    }
}
