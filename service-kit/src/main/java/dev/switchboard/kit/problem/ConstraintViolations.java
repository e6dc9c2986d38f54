package dev.switchboard.kit.problem;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns Bean Validation violations into one sentence that names every field as the client wrote it: the JSON
 * property, query parameter or header name, not the Java name. Each violation reads "{field} {message}" (a message
 * that already starts with the field is kept as it is), in the order the fields are declared, joined by "; ".
 */
public final class ConstraintViolations {
    private ConstraintViolations() {
    }

    /** Whether the violations are about what the client sent (parameters, bodies), not about what the server returns. */
    public static boolean aboutTheRequest(Set<? extends ConstraintViolation<?>> violations) {
        return violations.stream().noneMatch(v -> nodes(v).stream().anyMatch(n -> n.getKind() == ElementKind.RETURN_VALUE));
    }

    public static String describe(Set<? extends ConstraintViolation<?>> violations) {
        record Named(int position, String name, String message) {
        }
        List<Named> named = new ArrayList<>();
        for (ConstraintViolation<?> violation : violations) {
            Located located = locate(violation);
            named.add(new Named(located.position(), located.name(), violation.getMessage()));
        }
        return named.stream()
                .sorted(Comparator.comparingInt(Named::position).thenComparing(Named::name).thenComparing(Named::message))
                .map(n -> render(n.name(), n.message()))
                .distinct()
                .collect(Collectors.joining("; "));
    }

    static String render(String name, String message) {
        if (name.isEmpty() || message.equals(name) || message.startsWith(name + " ") || message.startsWith(name + ":")) {
            return message;
        }
        return name + " " + message;
    }

    private record Located(int position, String name) {
    }

    private static Located locate(ConstraintViolation<?> violation) {
        List<Path.Node> nodes = nodes(violation);
        Path.Node leaf = null;
        for (Path.Node node : nodes) {
            if (node.getName() != null && !node.getName().isEmpty() && node.getKind() != ElementKind.METHOD) {
                leaf = node;
            }
        }
        if (leaf == null) {
            return new Located(Integer.MAX_VALUE, "");
        }
        if (leaf.getKind() == ElementKind.PARAMETER) {
            return parameter(violation, nodes, leaf.as(Path.ParameterNode.class));
        }
        Object leafBean = violation.getLeafBean();
        Class<?> owner = leafBean == null ? null : leafBean.getClass();
        if (owner != null && leaf.getKind() == ElementKind.PROPERTY) {
            Field field = field(owner, leaf.getName());
            if (field != null) {
                return new Located(position(field), clientName(field, leaf.getName()));
            }
        }
        return new Located(Integer.MAX_VALUE, leaf.getName());
    }

    private static Located parameter(ConstraintViolation<?> violation, List<Path.Node> nodes, Path.ParameterNode node) {
        Path.MethodNode methodNode = nodes.stream().filter(n -> n.getKind() == ElementKind.METHOD)
                .map(n -> n.as(Path.MethodNode.class)).findFirst().orElse(null);
        if (methodNode != null && violation.getRootBeanClass() != null) {
            Method method = method(violation.getRootBeanClass(), methodNode);
            if (method != null && node.getParameterIndex() < method.getParameters().length) {
                return new Located(node.getParameterIndex(),
                        clientName(method.getParameters()[node.getParameterIndex()], node.getName()));
            }
        }
        return new Located(node.getParameterIndex(), node.getName());
    }

    private static List<Path.Node> nodes(ConstraintViolation<?> violation) {
        List<Path.Node> nodes = new ArrayList<>();
        violation.getPropertyPath().forEach(nodes::add);
        return nodes;
    }

    /** The name the client uses: the JSON property, query parameter, header, path parameter, form field or cookie. */
    private static String clientName(AnnotatedElement element, String javaName) {
        for (Annotation annotation : element.getAnnotations()) {
            String name = switch (annotation) {
                case JsonProperty json -> json.value();
                case RestQuery query -> query.value();
                case QueryParam query -> query.value();
                case RestHeader header -> header.value();
                case HeaderParam header -> header.value();
                case RestPath path -> path.value();
                case PathParam path -> path.value();
                case RestForm form -> form.value();
                case FormParam form -> form.value();
                case RestCookie cookie -> cookie.value();
                case CookieParam cookie -> cookie.value();
                default -> null;
            };
            if (name != null && !name.isEmpty()) {
                return name;
            }
        }
        return javaName;
    }

    private static Field field(Class<?> type, String name) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // look further up
            }
        }
        return null;
    }

    /** Where the field is declared: a record's components have a defined order, other classes' fields in practice. */
    private static int position(Field field) {
        Class<?> owner = field.getDeclaringClass();
        if (owner.isRecord()) {
            var components = owner.getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                if (components[i].getName().equals(field.getName())) {
                    return i;
                }
            }
        }
        Field[] fields = owner.getDeclaredFields();
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].equals(field)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static Method method(Class<?> type, Path.MethodNode node) {
        Class<?>[] parameterTypes = node.getParameterTypes().toArray(Class<?>[]::new);
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                return c.getDeclaredMethod(node.getName(), parameterTypes);
            } catch (NoSuchMethodException e) {
                // a subclass (a CDI proxy) or an interface may declare it
            }
            for (Class<?> i : c.getInterfaces()) {
                Method found = Arrays.stream(i.getMethods())
                        .filter(m -> m.getName().equals(node.getName()) && Arrays.equals(m.getParameterTypes(), parameterTypes))
                        .findFirst().orElse(null);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
