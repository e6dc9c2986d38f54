package dev.switchboard.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchboard.gateway.commands.CommandRefused;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as application/problem+json with a message that says what is wrong. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return Problem.of(e.type(), e.getMessage(), uri.getPath()).toResponse();
    }

    @ServerExceptionMapper
    public Response refused(CommandRefused e, UriInfo uri) {
        ProblemType type = switch (e.refusal()) {
            case NO_SESSION -> ProblemType.SESSION_NOT_FOUND;
            case NOT_CURRENT_SESSION -> ProblemType.NOT_CURRENT_SESSION;
            case SESSION_ENDED -> ProblemType.SESSION_ENDED;
            case SESSION_ENDING -> ProblemType.SESSION_ENDING;
            case KEY_REUSED -> ProblemType.IDEMPOTENCY_KEY_REUSED;
            case PUBLISH_FAILED -> ProblemType.PUBLISH_FAILED;
        };
        return Problem.of(type, e.getMessage(), uri.getPath()).about(e.room(), null, null, null).toResponse();
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e, UriInfo uri) {
        return Problem.of(ProblemType.INVALID_REQUEST, JsonBodies.describe(e), uri.getPath()).toResponse();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return Problem.of(ProblemType.NOT_FOUND, "there is nothing at " + uri.getPath(), uri.getPath()).toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadable(json, uri);
        }
        int status = e.getResponse().getStatus();
        Problem problem = new Problem("about:blank", Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase(), status, e.getMessage(), uri.getPath(),
                null, null, null, null);
        return problem.toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.errorf(e, "unexpected failure on %s", uri.getPath());
        return Problem.of(ProblemType.INTERNAL_ERROR, "the gateway failed unexpectedly: " + e.getClass().getSimpleName(),
                uri.getPath()).toResponse();
    }
}
