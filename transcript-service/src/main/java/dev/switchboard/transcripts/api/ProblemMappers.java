package dev.switchboard.transcripts.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import dev.switchboard.transcripts.store.SqlErrors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.sql.SQLException;

/** Every error leaves as application/problem+json with a message that says what to fix. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return Problem.response(e.status(), e.getMessage(), uri.getPath());
    }

    @ServerExceptionMapper
    public Response database(SQLException e, UriInfo uri) {
        LOG.errorf("database error on %s: %s", uri.getPath(), SqlErrors.describe(e));
        return Problem.response(Response.Status.SERVICE_UNAVAILABLE, "the transcript database is unavailable; try again shortly", uri.getPath());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        return Problem.response(status, e.getMessage(), uri.getPath());
    }
}
