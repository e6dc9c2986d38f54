package dev.switchboard.worker.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchboard.worker.llm.LlmException;
import dev.switchboard.worker.session.RoomBusyException;
import dev.switchboard.worker.session.SessionNotActiveException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;

/** Every error leaves as application/problem+json with a message that says what to fix. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return Problem.response(e.status(), e.getMessage(), uri.getPath());
    }

    @ServerExceptionMapper
    public Response roomBusy(RoomBusyException e, UriInfo uri) {
        return Problem.response(Response.Status.CONFLICT, e.getMessage(), uri.getPath());
    }

    @ServerExceptionMapper
    public Response notActive(SessionNotActiveException e, UriInfo uri) {
        return Problem.response(Response.Status.CONFLICT, e.getMessage(), uri.getPath());
    }

    @ServerExceptionMapper
    public Response llmFailed(LlmException e, UriInfo uri) {
        LOG.warnf("LLM failure on %s: %s", uri.getPath(), e.getMessage());
        return Problem.response(Response.Status.BAD_GATEWAY, "the agent's LLM failed: " + e.getMessage(), uri.getPath());
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        String detail = e.getConstraintViolations().stream()
                .map(v -> lastNode(v.getPropertyPath().toString()) + ": " + v.getMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return Problem.response(Response.Status.BAD_REQUEST, detail, uri.getPath());
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e, UriInfo uri) {
        return Problem.response(Response.Status.BAD_REQUEST, "the request body is not valid JSON: " + e.getOriginalMessage(), uri.getPath());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return unreadable(json, uri);
        }
        Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
        return Problem.response(status == null ? Response.Status.INTERNAL_SERVER_ERROR : status, e.getMessage(), uri.getPath());
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
