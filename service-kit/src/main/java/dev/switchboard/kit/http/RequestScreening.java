package dev.switchboard.kit.http;

import dev.switchboard.kit.problem.ProblemException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks what every request of every service may not carry, before a resource sees it: no value a Switchboard
 * service takes may contain NUL (PostgreSQL text cannot hold it, LiveKit room names never do), so a {@code %00} in
 * a path or query parameter is a 400 naming the parameter instead of an error deep down (a database "outage"). And a
 * parameter or header that takes one value may not come twice ({@code ?wait=0&wait=30s}): JAX-RS would quietly use
 * the first, which may not be the one the client meant. A request target is ASCII, as URIs are.
 */
public class RequestScreening {
    private final Map<Method, SingleValuedParameters> singleValued = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public void noNulCharacters(UriInfo uri) {
        check(uri.getPathParameters());
        check(uri.getQueryParameters());
    }

    /**
     * A request target is ASCII (RFC 9112): other characters travel percent-encoded as UTF-8 ({@code é} as
     * {@code %C3%A9}). Sent raw, Vert.x reads their bytes as ISO-8859-1, so {@code /v1/sessions/p1é} would look up a
     * room named {@code p1Ã©} and answer that it has no session: a 400 saying how to send the name is the useful answer.
     */
    @ServerRequestFilter
    public void asciiRequestTarget(HttpServerRequest request) {
        String target = request.uri();
        for (int i = 0; i < target.length(); i++) {
            if (target.charAt(i) > 0x7E) {
                throw ProblemException.invalid("the request target holds a character that is not ASCII; percent-encode it as "
                        + "UTF-8 (é as %C3%A9), as URIs require");
            }
        }
    }

    private static void check(Map<String, List<String>> parameters) {
        for (var parameter : parameters.entrySet()) {
            for (String value : parameter.getValue()) {
                if (value != null && value.indexOf('\0') >= 0) {
                    throw ProblemException.invalid(parameter.getKey() + " must not contain NUL characters (%00)");
                }
            }
        }
    }

    @ServerRequestFilter
    public void noRepeatedSingleValues(ResourceInfo resource, UriInfo uri, HttpHeaders headers) {
        Method method = resource == null ? null : resource.getResourceMethod();
        if (method == null) {
            return;
        }
        SingleValuedParameters declared = singleValued.computeIfAbsent(method, SingleValuedParameters::of);
        Map<String, List<String>> query = uri.getQueryParameters();
        for (String name : declared.queryParameters()) {
            List<String> values = query.get(name);
            if (values != null && values.size() > 1) {
                throw ProblemException.invalid(name + " is given " + values.size() + " times; it takes one value");
            }
        }
        for (String name : declared.headers()) {
            List<String> values = headers.getRequestHeader(name);
            if (values != null && values.size() > 1) {
                throw ProblemException.invalid("the " + name + " header is given " + values.size() + " times; it takes one value");
            }
        }
    }
}
