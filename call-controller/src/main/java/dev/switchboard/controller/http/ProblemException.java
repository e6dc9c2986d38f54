package dev.switchboard.controller.http;

import jakarta.ws.rs.core.Response;

/** Thrown by resources to answer with a problem+json of the given status. */
public final class ProblemException extends RuntimeException {
    private final Response.Status status;

    public ProblemException(Response.Status status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    public Response.Status status() {
        return status;
    }
}
