package dev.switchboard.kit.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.kit.problem.Problem;
import dev.switchboard.kit.problem.ProblemType;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Where requests enter, before any resource: what HTTP itself can get wrong is answered here as a problem, so no
 * client mistake becomes a 500 or an ERROR line in the log.
 * <ul>
 *   <li>A request without a Host header (HTTP/1.0 allows it) is a 400 problem.</li>
 *   <li>The Accept header: blank means anything; malformed media ranges are left out (content negotiation then
 *       sees only well-formed ones); a header with none left is a 406 problem.</li>
 *   <li>Requests Vert.x refuses before routing (no Host, an unknown HTTP version): their 4xx is answered as a
 *       problem and logged at DEBUG, instead of Quarkus' ERROR with a stack trace.</li>
 * </ul>
 */
@ApplicationScoped
public class HttpEdge {
    private static final Logger LOG = Logger.getLogger(HttpEdge.class);
    /** Before every route Quarkus or the services register. */
    static final int FIRST = Integer.MIN_VALUE + 1;

    private final ObjectMapper json;

    HttpEdge(ObjectMapper json) {
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(FIRST).handler(this::screen);
        router.route().order(FIRST).failureHandler(this::clientFailure);
    }

    private void screen(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.authority() == null) {
            // HTTP/1.0 allows it, but absolute request URIs (problems, Location headers) need a host.
            answer(context, ProblemType.INVALID_REQUEST, "the request has no Host header");
            return;
        }
        List<String> accept = request.headers().getAll(HttpHeaders.ACCEPT);
        if (accept.isEmpty()) {
            context.next();
            return;
        }
        switch (AcceptHeader.read(accept)) {
            case AcceptHeader.Anything anything -> request.headers().remove(HttpHeaders.ACCEPT);
            case AcceptHeader.Ranges ranges -> {
                if (ranges.changed()) {
                    request.headers().set(HttpHeaders.ACCEPT, ranges.value());
                }
            }
            case AcceptHeader.Unreadable unreadable -> {
                answer(context, ProblemType.of(406), "the Accept header (" + echo(unreadable.value())
                        + ") holds no media type such as application/json");
                return;
            }
        }
        context.next();
    }

    private void clientFailure(RoutingContext context) {
        int status = context.statusCode();
        if (status < 400 || status >= 500 || context.response().headWritten()) {
            context.next(); // a fault of the service: Quarkus logs it and answers 500
            return;
        }
        Throwable failure = context.failure();
        LOG.debugf("%s %s refused with %d: %s", context.request().method(), context.request().uri(), status,
                failure == null ? "no detail" : failure.getMessage());
        answer(context, ProblemType.of(status), failure == null || failure.getMessage() == null
                ? "the request is malformed" : "the request is malformed: " + failure.getMessage());
    }

    private void answer(RoutingContext context, ProblemType type, String detail) {
        Problem problem = Problem.of(type, detail, pathOf(context));
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem document cannot be written", e);
        }
        context.response().setStatusCode(type.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(body);
    }

    private static String pathOf(RoutingContext context) {
        String path = context.request().path();
        return path == null || path.isEmpty() ? "/" : path;
    }

    private static String echo(String value) {
        return value.length() <= 200 ? value : value.substring(0, 200) + "...";
    }
}
