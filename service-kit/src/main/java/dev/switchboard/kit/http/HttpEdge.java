package dev.switchboard.kit.http;

import dev.switchboard.kit.problem.ProblemMappers;
import dev.switchboard.kit.problem.ProblemType;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;

/**
 * Where requests enter, before any resource: what HTTP itself can get wrong is answered here as a problem, so no
 * client mistake becomes a 500 or an ERROR line in the log.
 * <ul>
 *   <li>A request without a Host header (HTTP/1.0 allows it) is a 400 problem.</li>
 *   <li>With CORS on ({@code quarkus.http.cors.enabled}), an Origin the settings refuse is a 403 problem, before
 *       Quarkus' CORS filter would answer an empty 403 ({@link CrossOrigins}).</li>
 *   <li>The Accept header: blank means anything; malformed media ranges are left out (content negotiation then
 *       sees only well-formed ones); a header with none left is a 406 problem.</li>
 *   <li>Requests Vert.x refuses before routing (no Host, an unknown HTTP version): their 4xx is answered as a
 *       problem and logged at DEBUG, instead of Quarkus' ERROR with a stack trace.</li>
 *   <li>A body declared larger than {@code quarkus.http.limits.max-body-size} is a 413 problem (Quarkus would answer
 *       an empty 413); the connection is closed, as the body is not read.</li>
 *   <li>A body in a content coding (Content-Encoding gzip, br, ...) is a 415 problem with {@code Accept-Encoding:
 *       identity}: no service decodes one.</li>
 * </ul>
 * A request line or headers beyond Vert.x's limits (414, 431), or that its HTTP/1.1 codec cannot read (400: a broken
 * request line, a control character in a header value), are answered by Vert.x itself, without a body, and the
 * connection closed: the codec's failure goes to the server's invalid-request handler, never to the router, and
 * Quarkus creates its server without letting an application set that handler (its hooks see the server's options
 * only), so Vert.x's default answers. Nor does
 * a request target that is not a URI ({@code %zz}, a lone {@code %}, raw non-ASCII bytes): Quarkus' root handler
 * answers it an empty 400 before the router, and only a JVM-wide switch ({@code vertx.disableURIValidation}) would
 * let it through, to every route.
 */
@ApplicationScoped
public class HttpEdge {
    private static final Logger LOG = Logger.getLogger(HttpEdge.class);
    /** Before every route Quarkus or the services register. */
    static final int FIRST = Integer.MIN_VALUE + 1;
    private static final String REFUSED_ACCEPT = ProblemMappers.REFUSED_ACCEPT;
    /** A media type no endpoint offers: content negotiation refuses it with 406. */
    static final String UNSERVABLE = "application/vnd.switchboard.unservable";

    private final RouteProblems problems;
    private final long maxBodyBytes;
    private final CrossOrigins crossOrigins;

    HttpEdge(RouteProblems problems,
             @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBodySize,
             @ConfigProperty(name = "quarkus.http.cors.enabled", defaultValue = "false") boolean cors,
             @ConfigProperty(name = "quarkus.http.cors.origins") Optional<List<String>> origins) {
        this.problems = problems;
        this.maxBodyBytes = maxBodySize.asLongValue();
        this.crossOrigins = CrossOrigins.of(cors, origins);
    }

    void install(@Observes Router router) {
        router.route().order(FIRST).handler(this::screen);
        router.route().order(FIRST).failureHandler(this::clientFailure);
    }

    private void screen(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.authority() == null) {
            // HTTP/1.0 allows it, but absolute request URIs (problems, Location headers) need a host.
            problems.answer(context, ProblemType.INVALID_REQUEST, "the request has no Host header");
            return;
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (crossOrigins.refuses(origin, request.authority().host(), request.authority().port())) {
            LOG.debugf("%s %s refused: origin %s is not allowed", request.method(), request.path(), echo(origin));
            problems.answer(context, ProblemType.of(403), "requests from the origin in the Origin header (" + echo(origin)
                    + ") are not allowed here: only the service's own origin and those its CORS settings list may call it");
            return;
        }
        if (declaredLength(request) > maxBodyBytes) {
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
            problems.answer(context, ProblemType.of(413), "the body is " + request.getHeader(HttpHeaders.CONTENT_LENGTH)
                    + " bytes long; at most " + maxBodyBytes + " are accepted");
            return;
        }
        String coding = unsupportedCoding(request);
        if (coding != null) {
            // RFC 9110: a content coding the server does not know is a 415, with Accept-Encoding saying what it takes.
            context.response().putHeader(HttpHeaders.ACCEPT_ENCODING, "identity");
            problems.answer(context, ProblemType.of(415), "the body's Content-Encoding (" + echo(coding) + ") is not "
                    + "supported: send the body uncompressed, without a Content-Encoding header");
            return;
        }
        request.headers().remove(REFUSED_ACCEPT); // only this class says why an Accept header is refused
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
            case AcceptHeader.Unreadable unreadable -> refuseAfterAuthentication(request, "the Accept header ("
                    + echo(unreadable.value()) + ") holds no media type such as application/json");
            case AcceptHeader.RefusesEverything refusing -> refuseAfterAuthentication(request, "the Accept header ("
                    + echo(refusing.value()) + ") accepts nothing: every media type in it has q=0");
        }
        context.next();
    }

    /**
     * An Accept header that can serve nothing is refused (406) where RESTEasy negotiates the answer's media type, not
     * here: by then a request without a valid token has been answered 401, so an anonymous caller learns that it needs a
     * token rather than which media types are served ({@code AuthenticationFirst}). The header is replaced by a media
     * type no endpoint offers, and the reason travels in a header of this service's own for the 406's detail.
     */
    private static void refuseAfterAuthentication(HttpServerRequest request, String detail) {
        request.headers().set(HttpHeaders.ACCEPT, UNSERVABLE);
        request.headers().set(REFUSED_ACCEPT, detail);
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
        problems.answer(context, ProblemType.of(status), failure == null || failure.getMessage() == null
                ? "the request is malformed" : "the request is malformed: " + failure.getMessage());
    }

    /**
     * The Content-Encoding of a request with a body when it names any coding but identity, else null. The services read bodies as
     * they arrive (Quarkus' decompression is off): a gzip body would be read as JSON and refused as malformed, and a
     * plain body labelled gzip would be taken as if the label were not there.
     */
    private static String unsupportedCoding(HttpServerRequest request) {
        if (declaredLength(request) <= 0 && request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null) {
            return null; // no body to decode
        }
        List<String> codings = request.headers().getAll(HttpHeaders.CONTENT_ENCODING);
        for (String header : codings) {
            for (String coding : header.split(",")) {
                String name = coding.trim();
                if (!name.isEmpty() && !name.equalsIgnoreCase("identity")) {
                    return String.join(", ", codings);
                }
            }
        }
        return null;
    }

    /** The Content-Length, or -1 when there is none or it is not a number (Vert.x refuses the latter itself). */
    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String echo(String value) {
        return value.length() <= 200 ? value : value.substring(0, 200) + "...";
    }
}
