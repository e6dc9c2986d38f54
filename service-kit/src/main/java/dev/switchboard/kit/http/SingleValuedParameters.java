package dev.switchboard.kit.http;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The query parameters and headers a resource method takes one value of (a {@code String wait}, not a
 * {@code List<String> state}), read from its JAX-RS declarations, including those of its {@code @BeanParam} classes.
 * JAX-RS silently keeps the first of repeated values; {@link RequestScreening} refuses them instead.
 */
record SingleValuedParameters(List<String> queryParameters, List<String> headers) {

    static SingleValuedParameters of(Method method) {
        List<String> query = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        for (Parameter parameter : method.getParameters()) {
            if (parameter.isAnnotationPresent(BeanParam.class)) {
                for (Class<?> type = parameter.getType(); type != null && type != Object.class; type = type.getSuperclass()) {
                    for (Field field : type.getDeclaredFields()) {
                        collect(field, field.getName(), field.getType(), query, headers);
                    }
                }
            } else {
                collect(parameter, parameter.getName(), parameter.getType(), query, headers);
            }
        }
        return new SingleValuedParameters(List.copyOf(query), List.copyOf(headers));
    }

    private static void collect(AnnotatedElement element, String javaName, Class<?> type, List<String> query, List<String> headers) {
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return;
        }
        if (element.getAnnotation(RestQuery.class) instanceof RestQuery rest) {
            query.add(rest.value().isEmpty() ? javaName : rest.value());
        } else if (element.getAnnotation(QueryParam.class) instanceof QueryParam param) {
            query.add(param.value());
        } else if (element.getAnnotation(RestHeader.class) instanceof RestHeader rest) {
            // RESTEasy Reactive turns a Java name into a header name (idempotencyKey -> Idempotency-Key) only when the
            // annotation names none; every Switchboard header names itself, so an unnamed one is left out.
            if (!rest.value().isEmpty()) {
                headers.add(rest.value());
            }
        } else if (element.getAnnotation(HeaderParam.class) instanceof HeaderParam param) {
            headers.add(param.value());
        }
    }
}
