package dev.switchboard.kit.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope a bearer token must carry to call a resource method (on a method, or on the class for all its methods; the
 * method's wins). A request without a valid token is refused with 401, one without the scope with 403 naming it.
 * A method that needs a valid token but no scope says {@link AnyValidToken}; one that needs none, {@link
 * jakarta.annotation.security.PermitAll}; one that says nothing stops the service at start.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresScope {
    /** E.g. {@link Scopes#CALLS_CONTROL}. */
    String value();
}
