package dev.switchboard.kit.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The resource method (or every method of the class) takes any caller with a valid token, whatever its scopes: for what
 * a token may learn about its own caller (the console's configuration). Saying so is required: a resource method that
 * declares neither this, {@link RequiresScope} nor {@link jakarta.annotation.security.PermitAll} stops the service at
 * start ({@link EndpointAccess}), so an endpoint is never open to every token by omission.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface AnyValidToken {
}
