package dev.switchboard.kit.auth;

import dev.switchboard.kit.problem.Problem;
import dev.switchboard.kit.problem.ProblemException;
import dev.switchboard.kit.problem.ProblemType;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.time.Duration;

/**
 * The answers to requests that may not go on, with the {@code WWW-Authenticate} challenge of RFC 6750: 401 without a
 * usable token ({@code error="invalid_token"} when one was given), 403 without the scope ({@code insufficient_scope}).
 * And the one that is no fault of the client's: 503 with {@code Retry-After} while the service cannot fetch the keys
 * that verify tokens (no challenge: the token may be fine, and a client sent for a new one would only be refused the
 * same way).
 */
public final class AuthProblems {
    public static final ProblemType UNAUTHORIZED = ProblemType.named("unauthorized", "Unauthorized", 401);
    public static final ProblemType MISSING_SCOPE = ProblemType.named("missing-scope", "Missing scope", 403);
    public static final ProblemType KEYS_UNAVAILABLE = ProblemType.named("token-keys-unavailable", "Token keys unavailable", 503);

    private AuthProblems() {
    }

    /** No bearer token in the request. */
    static Response noToken(String detail, String path) {
        return challenge(Problem.of(UNAUTHORIZED, detail, path), "Bearer");
    }

    /** A token that does not verify: expired, wrongly signed, for another audience or issuer, malformed. */
    static Response invalidToken(String detail, String path) {
        return invalidToken(Problem.of(UNAUTHORIZED, detail, path));
    }

    /** A verified token with a claim that cannot describe its caller (e.g. no tenant claim where one is required). */
    static Response unacceptableClaim(String claim, String detail, String path) {
        return invalidToken(Problem.of(UNAUTHORIZED, detail, path).with("claim", claim));
    }

    /** The keys that verify tokens cannot be fetched now: the token was not checked; try again after {@code retryAfter}. */
    static Response keysUnavailable(Duration retryAfter, String path) {
        long seconds = Math.max(1, retryAfter.toSeconds());
        Problem problem = Problem.of(KEYS_UNAVAILABLE, "this service cannot fetch the keys that verify tokens right now, so "
                + "it cannot check this one; try again in " + seconds + " s", path);
        return Response.fromResponse(problem.toResponse()).header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)).build();
    }

    private static Response invalidToken(Problem problem) {
        return challenge(problem, "Bearer error=\"invalid_token\", error_description=\"" + quotable(problem.detail()) + "\"");
    }

    /** A valid token without the scope the endpoint needs. */
    static Response missingScope(String scope, String path) {
        Problem problem = Problem.of(MISSING_SCOPE, "this request needs the scope " + scope + ", which the token does not grant", path)
                .with("scope", scope);
        return challenge(problem, "Bearer error=\"insufficient_scope\", scope=\"" + scope + "\"");
    }

    /**
     * For an endpoint that needs a scope only for some requests (acting for another tenant): the same 403 as a route's
     * missing scope, with the {@code scope} member and the challenge, thrown from the resource.
     */
    public static ProblemException scopeNeeded(String scope, String detail) {
        return new ProblemException(MISSING_SCOPE, detail).with("scope", scope)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", scope=\"" + scope + "\"");
    }

    private static Response challenge(Problem problem, String challenge) {
        return Response.fromResponse(problem.toResponse()).header(HttpHeaders.WWW_AUTHENTICATE, challenge).build();
    }

    /** RFC 6750 allows printable ASCII except " and \ in error_description. */
    private static String quotable(String text) {
        return text.replaceAll("[^\\x20-\\x7E]|[\"\\\\]", "'");
    }
}
