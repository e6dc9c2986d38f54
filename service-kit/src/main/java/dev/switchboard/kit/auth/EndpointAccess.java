package dev.switchboard.kit.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Who may call a resource method, as it declares it (on the method, else on its class): nobody needs a token
 * ({@link PermitAll}), any valid token ({@link AnyValidToken}) or a valid token with a scope ({@link RequiresScope}).
 * Every resource method must declare one: at start the service checks its resources and refuses to run with one that
 * does not, naming it, so an endpoint added without a scope fails every test instead of taking any token.
 */
@ApplicationScoped
public class EndpointAccess {
    /** What a resource method needs: nothing (open), a valid token, or a valid token with a scope. */
    public record Requirement(boolean open, String scope) {
        static final Requirement OPEN = new Requirement(true, null);
        static final Requirement ANY_TOKEN = new Requirement(false, null);
    }

    private final BeanManager beans;

    EndpointAccess(BeanManager beans) {
        this.beans = beans;
    }

    void checkAtStart(@Observes StartupEvent started) {
        List<String> undeclared = undeclaredIn(resourceClasses());
        if (!undeclared.isEmpty()) {
            throw new IllegalStateException("these resource methods declare no access (@RequiresScope, @AnyValidToken or @PermitAll, "
                    + "on the method or its class): " + String.join(", ", undeclared));
        }
    }

    /** The service's resource classes (Quarkus REST makes every one a bean). */
    public List<Class<?>> resourceClasses() {
        return beans.getBeans(Object.class, Any.Literal.INSTANCE).stream()
                .map(Bean::getBeanClass)
                .filter(type -> type.isAnnotationPresent(Path.class))
                .distinct()
                .<Class<?>>map(type -> type)
                .toList();
    }

    /** The resource methods of these classes that declare no access, as class.method. */
    public static List<String> undeclaredIn(Collection<Class<?>> resourceClasses) {
        return resourceClasses.stream()
                .flatMap(type -> Arrays.stream(type.getMethods())
                        .filter(EndpointAccess::isResourceMethod)
                        .filter(method -> declared(method, type).isEmpty())
                        .map(method -> type.getName() + "." + method.getName()))
                .sorted()
                .toList();
    }

    /** What the method declares; a method that declares nothing is a bug the start-up check reports. */
    public static Requirement of(Method method, Class<?> resourceClass) {
        return declared(method, resourceClass).orElseThrow(() -> new IllegalStateException(
                resourceClass.getName() + "." + method.getName() + " declares no access"));
    }

    static Optional<Requirement> declared(Method method, Class<?> resourceClass) {
        Optional<Requirement> onMethod = declaredOn(method.getAnnotation(PermitAll.class) != null,
                method.getAnnotation(AnyValidToken.class) != null, method.getAnnotation(RequiresScope.class));
        return onMethod.isPresent() ? onMethod : declaredOn(resourceClass.isAnnotationPresent(PermitAll.class),
                resourceClass.isAnnotationPresent(AnyValidToken.class), resourceClass.getAnnotation(RequiresScope.class));
    }

    private static Optional<Requirement> declaredOn(boolean permitAll, boolean anyValidToken, RequiresScope scope) {
        if (permitAll) {
            return Optional.of(Requirement.OPEN);
        }
        if (scope != null) {
            return Optional.of(new Requirement(false, scope.value()));
        }
        return anyValidToken ? Optional.of(Requirement.ANY_TOKEN) : Optional.empty();
    }

    private static boolean isResourceMethod(Method method) {
        return method.isAnnotationPresent(Path.class)
                || Arrays.stream(method.getAnnotations()).anyMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class));
    }
}
