package dev.switchboard.gateway.http;

import jakarta.ws.rs.core.Response.Status;

import java.util.Locale;

/** The kinds of problem this API answers with; each has a stable type URI clients can switch on. */
public enum ProblemType {
    INVALID_REQUEST(Status.BAD_REQUEST, "Invalid request"),
    SESSION_NOT_FOUND(Status.NOT_FOUND, "No such session"),
    NOT_CURRENT_SESSION(Status.CONFLICT, "Not the room's current session"),
    SESSION_ENDED(Status.CONFLICT, "Session ended"),
    SESSION_ENDING(Status.CONFLICT, "Session ending"),
    IDEMPOTENCY_KEY_REUSED(Status.CONFLICT, "Idempotency-Key reused"),
    COMMAND_REJECTED(Status.CONFLICT, "Command rejected"),
    COMMAND_EXPIRED(Status.GATEWAY_TIMEOUT, "Command expired"),
    UNKNOWN_SESSION(Status.NOT_FOUND, "No worker runs the room"),
    UNRECOGNIZED_RESULT(Status.BAD_GATEWAY, "Unrecognized command result"),
    COMMAND_NOT_FOUND(Status.NOT_FOUND, "No such command"),
    PUBLISH_FAILED(Status.SERVICE_UNAVAILABLE, "Kafka unavailable"),
    NOT_FOUND(Status.NOT_FOUND, "Not found"),
    INTERNAL_ERROR(Status.INTERNAL_SERVER_ERROR, "Internal error");

    private final Status status;
    private final String title;

    ProblemType(Status status, String title) {
        this.status = status;
        this.title = title;
    }

    public Status status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String uri() {
        return "urn:switchboard:problem:" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
