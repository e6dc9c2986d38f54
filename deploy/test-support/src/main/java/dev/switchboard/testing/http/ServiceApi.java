package dev.switchboard.testing.http;

import dev.switchboard.testing.auth.TestTokens;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's HTTP API as the shared tests see it: its routes (for the conventions and the hostile-request suite)
 * and one request that breaks a validation rule, with what the answer must name.
 *
 * @param routes        every route of the service's own API
 * @param invalid       a request that breaks a rule, and the text its problem's detail must contain (the field)
 * @param authorization headers a request needs to be read at all, made from its body: by default the test admin's
 *                      bearer token; a signature for a webhook
 */
public record ServiceApi(List<Route> routes, Invalid invalid, Function<String, Map<String, String>> authorization) {
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

    public ServiceApi {
        routes = List.copyOf(routes);
        Objects.requireNonNull(invalid, "invalid");
        authorization = authorization == null ? body -> Map.of("Authorization", TestTokens.bearer(TestTokens.admin())) : authorization;
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("a service has routes");
        }
    }

    public ServiceApi(List<Route> routes, Invalid invalid) {
        this(routes, invalid, null);
    }

    /** What a request body is. */
    public enum Body {
        NONE,
        /** JSON, and the endpoint also takes none. */
        OPTIONAL_JSON,
        JSON
    }

    /**
     * One route.
     *
     * @param method       GET, POST, DELETE
     * @param template     the path with {parameters}, as the service declares it (and as metrics tag it)
     * @param query        the query parameters it reads
     * @param body         what it reads as body
     * @param fields       the fields of a JSON body the service reads itself (none for a body another party's library
     *                     reads, such as LiveKit's webhook events)
     * @param sideEffects  true when a well-formed request changes something beyond the request (starts a call): the
     *                     hostile suite then only sends it bodies that cannot be read
     */
    public record Route(String method, String template, List<String> query, Body body, List<String> fields, boolean sideEffects) {
        public Route {
            query = List.copyOf(query);
            fields = List.copyOf(fields);
        }

        public static Route get(String template, String... query) {
            return new Route("GET", template, List.of(query), Body.NONE, List.of(), false);
        }

        public static Route delete(String template, String... query) {
            return new Route("DELETE", template, List.of(query), Body.NONE, List.of(), false);
        }

        public static Route post(String template, Body body, List<String> fields, String... query) {
            return new Route("POST", template, List.of(query), body, fields, false);
        }

        public Route withSideEffects() {
            return new Route(method, template, query, body, fields, true);
        }

        public List<String> pathParameters() {
            List<String> names = new ArrayList<>();
            Matcher m = PARAMETER.matcher(template);
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        }

        /** The path with every parameter replaced by the (already encoded) value. */
        public String path(Function<String, String> value) {
            Matcher m = PARAMETER.matcher(template);
            StringBuilder path = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(path, Matcher.quoteReplacement(value.apply(m.group(1))));
            }
            m.appendTail(path);
            return path.toString();
        }
    }

    /** A request that breaks a rule: method, path (with query), JSON body or null, and the field its answer names. */
    public record Invalid(String method, String pathAndQuery, String jsonBody, String names) {
    }

    public Optional<Route> firstWithPathParameter() {
        return routes.stream().filter(r -> !r.pathParameters().isEmpty()).findFirst();
    }

    public Optional<Route> firstWithJsonBody() {
        return routes.stream().filter(r -> r.body() != Body.NONE).findFirst();
    }

    /** A path of the API and a method it does not take there. */
    public Route wrongMethod() {
        return wrongMethods().stream().findFirst().orElseThrow(() -> new IllegalStateException("every route takes every method"));
    }

    /** For each route template, a method none of its routes takes (templates that take every method are left out). */
    public List<Route> wrongMethods() {
        List<Route> wrong = new ArrayList<>();
        for (String template : new LinkedHashSet<>(routes.stream().map(Route::template).toList())) {
            Set<String> taken = Set.copyOf(routes.stream().filter(r -> r.template().equals(template)).map(Route::method).toList());
            List.of("PUT", "PATCH", "DELETE", "POST").stream().filter(method -> !taken.contains(method)).findFirst()
                    .ifPresent(method -> wrong.add(new Route(method, template, List.of(), Body.NONE, List.of(), false)));
        }
        return wrong;
    }

    public Set<String> templates() {
        return Set.copyOf(routes.stream().map(Route::template).toList());
    }
}
