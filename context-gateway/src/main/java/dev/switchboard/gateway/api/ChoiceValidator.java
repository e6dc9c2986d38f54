package dev.switchboard.gateway.api;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks {@link Choice}. */
public class ChoiceValidator implements ConstraintValidator<Choice, String> {
    private Set<String> symbols;
    private String allowed;
    private boolean required;

    @Override
    public void initialize(Choice annotation) {
        symbols = Arrays.stream(annotation.value()).map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        allowed = Arrays.stream(annotation.value()).map(s -> "\"" + s + "\"").collect(Collectors.joining(" or "));
        required = annotation.required();
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null ? !required : symbols.contains(value.toLowerCase(Locale.ROOT))) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        HibernateConstraintValidatorContext hibernate = context.unwrap(HibernateConstraintValidatorContext.class);
        // Parameters are inserted as they are, never interpreted: the client's value cannot inject a message expression.
        hibernate.addMessageParameter("allowed", allowed);
        if (value == null) {
            hibernate.buildConstraintViolationWithTemplate("is required: {allowed}").addConstraintViolation();
        } else {
            hibernate.addMessageParameter("value", value);
            hibernate.buildConstraintViolationWithTemplate("must be {allowed}, not \"{value}\"").addConstraintViolation();
        }
        return false;
    }

}
