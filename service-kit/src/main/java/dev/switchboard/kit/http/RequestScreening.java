package dev.switchboard.kit.http;

import dev.switchboard.kit.problem.ProblemException;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Map;

/**
 * Checks what every request of every service may not carry, before a resource sees it: no value a Switchboard
 * service takes may contain NUL (PostgreSQL text cannot hold it, LiveKit room names never do), so a {@code %00} in
 * a path or query parameter is a 400 naming the parameter instead of an error deep down (a database "outage").
 */
public class RequestScreening {

    @ServerRequestFilter
    public void noNulCharacters(UriInfo uri) {
        check(uri.getPathParameters());
        check(uri.getQueryParameters());
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
}
