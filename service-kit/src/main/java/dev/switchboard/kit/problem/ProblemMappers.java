package dev.switchboard.kit.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.inject.Instance;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one error behaviour of every Switchboard service: each failure leaves as application/problem+json saying what
 * is wrong. Client mistakes are 4xx and logged at DEBUG; a dependency that is down is a 5xx logged as one WARN line (a
 * missing configuration the service reported as it started, at DEBUG: see {@link ProblemException#reportedAtStart()});
 * anything unexpected is a 500 without internals, logged once at ERROR with its stack trace.
 */
public class ProblemMappers {
    /**
     * Why the request's Accept header can serve nothing, when the HTTP edge found so and left the 406 to content
     * negotiation (after authentication); only the service sets it, a client's own is removed.
     */
    public static final String REFUSED_ACCEPT = "X-Switchboard-Refused-Accept";

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** A dependency that is down: a WARN line now and then, not one per request. */
    private static final OutageLog OUTAGES = new OutageLog(Clock.systemUTC());
    private static final int MAX_ECHO = 200;
    /** RESTEasy Reactive's reader of request bodies: an I/O failure there is about the request. */
    private static final String REQUEST_BODY_READER = "org.jboss.resteasy.reactive.server.vertx.VertxInputStream";

    private final Instance<FaultTranslator> translators;

    ProblemMappers(Instance<FaultTranslator> translators) {
        this.translators = translators;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpServerRequest request) {
        return answer(e, request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response mistypedJson(MismatchedInputException e, HttpServerRequest request) {
        return answer(ProblemException.invalid(JsonProblems.describe(e)), request);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, HttpServerRequest request) {
        return answer(ProblemException.invalid(JsonProblems.describe(e)), request);
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, HttpServerRequest request) {
        if (!ConstraintViolations.aboutTheRequest(e.getConstraintViolations())) {
            return unexpected(e, request);
        }
        return answer(ProblemException.invalid(ConstraintViolations.describe(e.getConstraintViolations())), request);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpHeaders headers, HttpServerRequest request) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json, request);
        }
        int status = e.getResponse().getStatus();
        if (status < 400) {
            return e.getResponse(); // a redirect or another deliberate answer, not a problem
        }
        String detail = switch (e) {
            case NotFoundException notFound when isDefaultMessage(e, status) -> "there is nothing at " + request.path();
            case NotAllowedException notAllowed -> echo(request.method().name()) + " is not allowed on " + request.path()
                    + (notAllowed.getResponse().getAllowedMethods().isEmpty() ? ""
                    : "; allowed: " + String.join(", ", notAllowed.getResponse().getAllowedMethods()));
            case NotAcceptableException notAcceptable when headers.getHeaderString(REFUSED_ACCEPT) != null ->
                    headers.getHeaderString(REFUSED_ACCEPT);
            case NotAcceptableException notAcceptable -> "none of the media types the Accept header allows ("
                    + echo(headers.getHeaderString(HttpHeaders.ACCEPT)) + ") is offered here";
            case NotSupportedException unsupported -> "the request body's Content-Type ("
                    + echo(headers.getHeaderString(HttpHeaders.CONTENT_TYPE)) + ") is not accepted here";
            default -> isDefaultMessage(e, status) ? ProblemType.of(status).title() : e.getMessage();
        };
        ProblemException problem = new ProblemException(ProblemType.of(status), detail);
        Response answer = answer(problem, request);
        if (e instanceof NotAllowedException && !e.getResponse().getAllowedMethods().isEmpty()) {
            return Response.fromResponse(answer).allow(e.getResponse().getAllowedMethods()).build();
        }
        return answer;
    }

    /**
     * A body that could not be read (broken chunked framing, a client that hung up half way) is the client's doing;
     * any other I/O failure is the service's.
     */
    @ServerExceptionMapper
    public Response unreadableBody(IOException e, HttpServerRequest request) {
        if (!whileReadingTheRequest(e)) {
            return unexpected(e, request);
        }
        if (request.response().headWritten()) {
            // The reader answered already: a body beyond quarkus.http.limits.max-body-size, sent in chunks (a declared
            // one is refused by HttpEdge before it is read), is answered 413 and its connection closed as it overflows.
            // Nothing more can be sent; no mapping tells RESTEasy to leave the response alone.
            LOG.debugf("%s: the request body could not be read, already answered %d: %s", request.path(),
                    request.response().getStatusCode(), rootMessage(e));
            return null;
        }
        return answer(ProblemException.invalid("the request body could not be read: " + rootMessage(e)), request);
    }

    /** Everything else: a service's own fault (through its {@link FaultTranslator}), or an unexpected 500. */
    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        for (FaultTranslator translator : translators) {
            Optional<ProblemException> translated = translator.translate(e);
            if (translated.isPresent()) {
                return answer(translated.get(), request);
            }
        }
        LOG.errorf(e, "unexpected failure on %s", request.path());
        return Problem.of(ProblemType.of(500), "the service failed unexpectedly; the failure has been logged",
                request.path()).toResponse();
    }

    private static Response answer(ProblemException e, HttpServerRequest request) {
        String path = request.path();
        String note = e.logNote().map(n -> " (" + n + ")").orElse("");
        OptionalLong warn = e.type().isServerError() && !e.isReportedAtStart() ? OUTAGES.warn(e.type()) : OptionalLong.empty();
        if (warn.isPresent()) {
            String since = warn.getAsLong() == 0 ? "" : " (and " + warn.getAsLong() + " more answered so since the last such line)";
            LOG.warnf("%s: %d %s%s%s", path, e.type().status(), e.getMessage(), note, since);
        } else {
            LOG.debugf("%s: %d %s%s", path, e.type().status(), e.getMessage(), note);
        }
        return e.toResponse(path);
    }

    private static boolean whileReadingTheRequest(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().startsWith(REQUEST_BODY_READER)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** JAX-RS's own "HTTP 404 Not Found": says nothing the status does not. */
    private static boolean isDefaultMessage(WebApplicationException e, int status) {
        return e.getMessage() == null || e.getMessage().startsWith("HTTP " + status);
    }

    /** A header as the client sent it, shortened: enough to recognise, never a flood. */
    static String echo(String value) {
        if (value == null) {
            return "none";
        }
        return value.length() <= MAX_ECHO ? value : value.substring(0, MAX_ECHO) + "...";
    }
}
