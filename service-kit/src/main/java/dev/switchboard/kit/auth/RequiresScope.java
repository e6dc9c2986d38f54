package dev.switchboard.kit.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope a bearer token must carry to call a resource method (on a method, or on the class for all its methods; the
 * method's wins). A request without a valid token is refused with 401, one without the scope with 403 naming it.
 * Every endpoint needs a valid token anyway: a method with neither this nor {@link jakarta.annotation.security.PermitAll}
 * takes any valid token.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresScope {
    /** E.g. {@link Scopes#CALLS_CONTROL}. */
    String value();
}
