package dev.switchboard.kit.auth;

import dev.switchboard.kit.http.RouteTemplates;
import dev.switchboard.kit.problem.ProblemMappers;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Authentication before content negotiation. RESTEasy refuses a request's Content-Type (415) or Accept header (406)
 * while it picks the resource method, before any request filter runs: {@link BearerAuthentication} would never see a
 * request refused so, and an anonymous caller would learn which media types an endpoint takes or offers instead of
 * that it needs a token. Such a refusal is answered as the filter would have answered the request (401 with the Bearer
 * challenge, or 503 while the keys that verify tokens cannot be fetched) unless its token is valid, or the route may be
 * one that takes requests without a token ({@code @PermitAll}, such as the LiveKit webhook): those get the 415 or 406.
 * <p>
 * Only authentication comes first: which resource method the request was for, and so the scope it needs, is not known
 * yet; a valid token without the scope still gets the 415 or 406.
 */
public class AuthenticationFirst {
    private final BearerAuthentication authentication;
    private final ProblemMappers problems;
    private final EndpointAccess access;
    /** The routes of the resource methods that take requests without a token; read on first use. */
    private volatile List<OpenRoute> open;

    /** A route of a {@code @PermitAll} resource method: its HTTP method (null: any) and its path as a pattern. */
    record OpenRoute(String method, Pattern path) {
        boolean matches(String requestMethod, String requestPath) {
            boolean sameMethod = method == null || method.equals(requestMethod) || "HEAD".equals(requestMethod) && "GET".equals(method);
            return sameMethod && path.matcher(requestPath).matches();
        }
    }

    AuthenticationFirst(BearerAuthentication authentication, ProblemMappers problems, EndpointAccess access) {
        this.authentication = authentication;
        this.problems = problems;
        this.access = access;
    }

    @ServerExceptionMapper
    public Response unsupportedContentType(NotSupportedException e, HttpHeaders headers, HttpServerRequest request) {
        return refusalFirst(e, headers, request);
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e, HttpHeaders headers, HttpServerRequest request) {
        return refusalFirst(e, headers, request);
    }

    private Response refusalFirst(WebApplicationException e, HttpHeaders headers, HttpServerRequest request) {
        boolean mayBeOpen = openRoutes().stream().anyMatch(route -> route.matches(request.method().name(), request.path()));
        Optional<Response> refusal = mayBeOpen ? Optional.empty() : authentication.refusal(headers, request);
        return refusal.orElseGet(() -> problems.web(e, headers, request));
    }

    private List<OpenRoute> openRoutes() {
        List<OpenRoute> routes = open;
        if (routes == null) {
            routes = openRoutes(access.resourceClasses());
            open = routes;
        }
        return routes;
    }

    /** The routes of the resource methods of these classes that take requests without a token. */
    static List<OpenRoute> openRoutes(List<Class<?>> resourceClasses) {
        List<OpenRoute> routes = new ArrayList<>();
        for (Class<?> type : resourceClasses) {
            for (Method method : type.getMethods()) {
                Optional<EndpointAccess.Requirement> declared = EndpointAccess.declared(method, type);
                if (declared.isEmpty() || !declared.get().open() || !isResourceMethod(method)) {
                    continue;
                }
                String template = RouteTemplates.template(type.getAnnotation(Path.class), method.getAnnotation(Path.class));
                routes.add(new OpenRoute(httpMethod(method), pattern(template)));
            }
        }
        return List.copyOf(routes);
    }

    private static boolean isResourceMethod(Method method) {
        return method.isAnnotationPresent(Path.class) || httpMethod(method) != null;
    }

    private static String httpMethod(Method method) {
        return Arrays.stream(method.getAnnotations()).map(Annotation::annotationType)
                .map(type -> type.getAnnotation(HttpMethod.class)).filter(java.util.Objects::nonNull)
                .map(HttpMethod::value).findFirst().orElse(null);
    }

    /** A route template as a pattern of paths: {name} is one segment, {name: regex} what the regex matches. */
    static Pattern pattern(String template) {
        StringBuilder regex = new StringBuilder();
        for (String segment : template.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            regex.append('/');
            if (segment.startsWith("{") && segment.endsWith("}")) {
                int colon = segment.indexOf(':');
                regex.append(colon < 0 ? "[^/]+" : "(?:" + segment.substring(colon + 1, segment.length() - 1).strip() + ")");
            } else {
                regex.append(Pattern.quote(segment));
            }
        }
        return Pattern.compile((regex.isEmpty() ? "/" : regex.toString()) + "/?");
    }
}
