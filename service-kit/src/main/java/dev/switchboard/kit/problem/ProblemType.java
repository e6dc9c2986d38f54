package dev.switchboard.kit.problem;

import jakarta.ws.rs.core.Response;

import java.util.Objects;

/**
 * What kind of problem an answer is: the type URI clients switch on, its title and the HTTP status. A problem with
 * no meaning beyond its status is {@code about:blank} titled with the status's reason phrase, as RFC 9457 asks;
 * a mistake in a request is {@link #INVALID_REQUEST} in every service, and a room or session that is not there (or
 * belongs to another tenant) {@link #SESSION_NOT_FOUND}.
 */
public record ProblemType(String uri, String title, int status) {
    public static final String URN_PREFIX = "urn:switchboard:problem:";
    public static final ProblemType INVALID_REQUEST = named("invalid-request", "Invalid request", 400);
    /** No session (live or stored, depending on the service) for the room or session id asked for, or not for the caller's tenant. */
    public static final ProblemType SESSION_NOT_FOUND = named("session-not-found", "No such session", 404);

    public ProblemType {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(title, "title");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem has a 4xx or 5xx status, not " + status);
        }
    }

    /** A problem with its own meaning, e.g. {@code named("session-not-found", "No such session", 404)}. */
    public static ProblemType named(String name, String title, int status) {
        return new ProblemType(URN_PREFIX + name, title, status);
    }

    /** The problem a bare status means: {@link #INVALID_REQUEST} for 400, else about:blank with the reason phrase. */
    public static ProblemType of(int status) {
        if (status == 400) {
            return INVALID_REQUEST;
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        return new ProblemType("about:blank", known != null ? known.getReasonPhrase() : fallbackTitle(status), status);
    }

    public static ProblemType of(Response.StatusType status) {
        return of(status.getStatusCode());
    }

    public boolean isServerError() {
        return status >= 500;
    }

    private static String fallbackTitle(int status) {
        return switch (status) {
            case 405 -> "Method Not Allowed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 502 -> "Bad Gateway";
            case 504 -> "Gateway Timeout";
            default -> status < 500 ? "Client Error" : "Server Error";
        };
    }
}
