package dev.switchboard.controller.http;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as application/problem+json with a message that says what to fix. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return Problem.response(e.status(), e.getMessage(), uri.getPath());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
        return Problem.response(status == null ? Response.Status.INTERNAL_SERVER_ERROR : status, e.getMessage(), uri.getPath());
    }
}
