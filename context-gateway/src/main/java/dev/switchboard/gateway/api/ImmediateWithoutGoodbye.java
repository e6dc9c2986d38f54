package dev.switchboard.gateway.api;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** An immediate hang-up says nothing, so it cannot carry a goodbye. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ImmediateWithoutGoodbye.Validator.class)
public @interface ImmediateWithoutGoodbye {
    String message() default "cannot be combined with immediate: an immediate hang-up says nothing "
            + "(leave out goodbye, or leave out immediate to have the agent say it first)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<ImmediateWithoutGoodbye, CommandRequests.HangupRequest> {
        @Override
        public boolean isValid(CommandRequests.HangupRequest hangup, ConstraintValidatorContext context) {
            if (hangup == null || !hangup.isImmediate() || hangup.goodbye() == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
                    .addPropertyNode("goodbye").addConstraintViolation();
            return false;
        }
    }
}
