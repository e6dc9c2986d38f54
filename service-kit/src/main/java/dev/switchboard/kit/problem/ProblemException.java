package dev.switchboard.kit.problem;

import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Thrown while handling a request to answer with a problem. It is an answer, not a fault: it has no stack trace,
 * and the kit logs it at DEBUG (4xx) or as one WARN line (5xx).
 */
public final class ProblemException extends RuntimeException {
    private final ProblemType type;
    private final Map<String, Object> extensions = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String logNote;
    private boolean reportedAtStart;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, null);
    }

    public ProblemException(ProblemType type, String detail, Throwable cause) {
        super(detail, cause, false, false);
        this.type = type;
    }

    public ProblemException(Response.StatusType status, String detail) {
        this(ProblemType.of(status), detail);
    }

    /** A mistake in the request: 400, naming what is wrong. */
    public static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_REQUEST, detail);
    }

    /** No such session for the room or id asked for (or not for the caller's tenant): 404, as in every service. */
    public static ProblemException sessionNotFound(String detail) {
        return new ProblemException(ProblemType.SESSION_NOT_FOUND, detail);
    }

    /** Adds an extension member to the problem (a null value is left out). */
    public ProblemException with(String member, Object value) {
        if (value != null) {
            extensions.put(member, value);
        }
        return this;
    }

    /** Adds a header to the answer (e.g. Retry-After). */
    public ProblemException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** What the log line adds to the detail, never sent to the client (e.g. the database's own error). */
    public ProblemException logNote(String note) {
        this.logNote = note;
        return this;
    }

    /**
     * The cause is the service's configuration, which it logged once as it started (e.g. LiveKit not configured): the
     * answer is logged at DEBUG, not as a WARN line per request, which anyone could repeat to fill the log.
     */
    public ProblemException reportedAtStart() {
        this.reportedAtStart = true;
        return this;
    }

    public boolean isReportedAtStart() {
        return reportedAtStart;
    }

    public Optional<String> logNote() {
        return Optional.ofNullable(logNote);
    }

    public ProblemType type() {
        return type;
    }

    /** The answer: the problem document with its status and headers. */
    public Response toResponse(String instance) {
        Response.ResponseBuilder answer = Response.fromResponse(toProblem(instance).toResponse());
        headers.forEach(answer::header);
        return answer.build();
    }

    public Problem toProblem(String instance) {
        Problem problem = Problem.of(type, getMessage(), instance);
        for (var member : extensions.entrySet()) {
            problem = problem.with(member.getKey(), member.getValue());
        }
        return problem;
    }
}
