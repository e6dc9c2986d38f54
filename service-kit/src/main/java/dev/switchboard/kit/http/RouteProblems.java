package dev.switchboard.kit.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.kit.problem.Problem;
import dev.switchboard.kit.problem.ProblemType;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** Answers a request with a problem from a Vert.x route, where no JAX-RS exception mapper is there to write it. */
@ApplicationScoped
public class RouteProblems {
    private final ObjectMapper json;

    RouteProblems(ObjectMapper json) {
        this.json = json;
    }

    /** Ends the exchange: the problem's status, {@code application/problem+json}, the document naming the request's path. */
    public void answer(RoutingContext context, ProblemType type, String detail) {
        String path = context.request().path();
        Problem problem = Problem.of(type, detail, path == null || path.isEmpty() ? "/" : path);
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
}
