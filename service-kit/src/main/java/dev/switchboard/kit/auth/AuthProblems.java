package dev.switchboard.kit.auth;

import dev.switchboard.kit.problem.Problem;
import dev.switchboard.kit.problem.ProblemType;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The answers to requests that may not go on, with the {@code WWW-Authenticate} challenge of RFC 6750: 401 without a
 * usable token ({@code error="invalid_token"} when one was given), 403 without the scope ({@code insufficient_scope}).
 */
public final class AuthProblems {
    public static final ProblemType UNAUTHORIZED = ProblemType.named("unauthorized", "Unauthorized", 401);
    public static final ProblemType MISSING_SCOPE = ProblemType.named("missing-scope", "Missing scope", 403);

    private AuthProblems() {
    }

    /** No bearer token in the request. */
    static Response noToken(String detail, String path) {
        return challenge(Problem.of(UNAUTHORIZED, detail, path), "Bearer");
    }

    /** A token that does not verify: expired, wrongly signed, for another audience or issuer, malformed. */
    static Response invalidToken(String detail, String path) {
        return challenge(Problem.of(UNAUTHORIZED, detail, path),
                "Bearer error=\"invalid_token\", error_description=\"" + quotable(detail) + "\"");
    }

    /** A valid token without the scope the endpoint needs. */
    static Response missingScope(String scope, String path) {
        Problem problem = Problem.of(MISSING_SCOPE, "this request needs the scope " + scope + ", which the token does not grant", path)
                .with("scope", scope);
        return challenge(problem, "Bearer error=\"insufficient_scope\", scope=\"" + scope + "\"");
    }

    private static Response challenge(Problem problem, String challenge) {
        return Response.fromResponse(problem.toResponse()).header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
    }

    /** RFC 6750 allows printable ASCII except " and \ in error_description. */
    private static String quotable(String text) {
        return text.replaceAll("[^\\x20-\\x7E]|[\"\\\\]", "'");
    }
}
