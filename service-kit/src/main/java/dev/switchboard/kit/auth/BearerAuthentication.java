package dev.switchboard.kit.auth;

import dev.switchboard.kit.http.RouteTemplates;
import dev.switchboard.kit.problem.ProblemException;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.UnresolvableKeyException;

import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every resource of every service needs a bearer JWT, verified by SmallRye JWT's parser with the standard
 * {@code mp.jwt.verify.*} settings (issuer, audiences, public key or JWKS location), so any OIDC provider's tokens work.
 * Resources say which scope they need with {@link RequiresScope} ({@link AnyValidToken}: none); only a resource marked
 * {@link PermitAll} (the LiveKit webhook, which LiveKit signs itself) takes requests without a token; one that says
 * nothing stops the service at start ({@link EndpointAccess}). {@code /q/health} and {@code /q/metrics}
 * are not resources and stay open.
 * <p>
 * Refusals are logged at DEBUG only: anyone can send bad tokens, and they must not be able to flood the log. A token
 * that cannot be checked because the keys that verify tokens cannot be fetched is no refusal: it is answered 503 with
 * Retry-After, and the outage is logged once ({@link TokenKeys}).
 */
public class BearerAuthentication {
    private static final Logger LOG = Logger.getLogger(BearerAuthentication.class);
    private static final String BEARER = "bearer ";
    private static final String NOT_VALID_YET = "the token is not valid yet";

    private final JWTParser parser;
    private final CallerClaims claims;
    private final CurrentCaller current;
    private final Map<Method, EndpointAccess.Requirement> requirements = new ConcurrentHashMap<>();
    private final VerifiedTokens verified = new VerifiedTokens(Clock.systemUTC());
    private final Event<AccessRefused> refusals;
    private final JWTAuthContextInfo settings;
    private final TokenKeys keys;
    private final Clock clock;

    @Inject
    BearerAuthentication(JWTAuthContextInfo settings, AuthConfig config, CurrentCaller current, Event<AccessRefused> refusals) {
        this(settings, config, current, refusals, Clock.systemUTC());
    }

    /**
     * SmallRye JWT's parser with the service's settings, whose fetches of a JWK set go through {@link KeyFetches} (short
     * timeouts, none for a moment after one failed); the clock times that moment.
     */
    BearerAuthentication(JWTAuthContextInfo settings, AuthConfig config, CurrentCaller current, Event<AccessRefused> refusals,
                         Clock clock) {
        KeyFetches fetches = new KeyFetches(clock, TokenKeys.RETRY_AFTER);
        this.parser = fetches.parser(settings);
        this.settings = settings;
        this.keys = TokenKeys.of(settings, fetches, clock);
        this.clock = clock;
        this.claims = new CallerClaims(config);
        this.current = current;
        this.refusals = refusals;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response authenticate(ResourceInfo resource, HttpHeaders headers, HttpServerRequest request) {
        EndpointAccess.Requirement requirement = requirements.computeIfAbsent(resource.getResourceMethod(),
                method -> EndpointAccess.of(method, resource.getResourceClass()));
        if (requirement.open()) {
            return null;
        }
        Identified identified = identify(headers, request);
        if (identified.refusal() != null) {
            return identified.refusal();
        }
        Caller who = identified.caller().caller();
        if (requirement.scope() != null && !who.has(requirement.scope())) {
            LOG.debugf("%s %s refused: %s lacks the scope %s", request.method(), request.path(), who.id(), requirement.scope());
            // Someone the token names tried something it may not do: the audit trail gets it (services observe this).
            refusals.fire(new AccessRefused(who, requirement.scope(), request.method().name(),
                    RouteTemplates.template(resource.getResourceClass().getAnnotation(Path.class),
                            resource.getResourceMethod().getAnnotation(Path.class)), Instant.now()));
            return AuthProblems.missingScope(requirement.scope(), request.path());
        }
        current.set(who, identified.caller().expiresAt());
        return null;
    }

    /**
     * What a request that needs a token is refused for its token (none, several, one not valid, or 503 while the keys
     * that verify it cannot be fetched); empty when its token is valid. For the answers RESTEasy gives before
     * {@link #authenticate} can run: it refuses a Content-Type or Accept header while it picks the resource method, and
     * an anonymous caller must learn that it needs a token, not which media types an endpoint takes ({@link AuthenticationFirst}).
     */
    Optional<Response> refusal(HttpHeaders headers, HttpServerRequest request) {
        return Optional.ofNullable(identify(headers, request).refusal());
    }

    /** Who the request's bearer token names, or the answer that refuses it. */
    private record Identified(VerifiedTokens.Trusted caller, Response refusal) {
        static Identified refused(Response refusal) {
            return new Identified(null, refusal);
        }
    }

    private Identified identify(HttpHeaders headers, HttpServerRequest request) {
        String path = request.path();
        List<String> authorizations = headers.getRequestHeader(HttpHeaders.AUTHORIZATION);
        if (authorizations != null && authorizations.size() > 1) {
            // Which one would be meant is a guess (a proxy adding its own, a client sending two): RFC 6750's invalid_request.
            return Identified.refused(ProblemException.invalid("the Authorization header is given " + authorizations.size()
                    + " times; send one bearer token").toResponse(path));
        }
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            LOG.debugf("%s %s refused: no bearer token", request.method(), path);
            return Identified.refused(AuthProblems.noToken("this request needs a bearer token (Authorization: Bearer <token>)", path));
        }
        String token = authorization.substring(BEARER.length()).strip();
        Optional<VerifiedTokens.Trusted> caller = verified.find(token);
        try {
            if (caller.isEmpty()) {
                JsonWebToken jwt = parser.parse(token);
                keys.verified();
                if (issuedInTheFuture(jwt)) {
                    LOG.debugf("%s %s refused: the token was issued (iat) in the future", request.method(), path);
                    return Identified.refused(AuthProblems.invalidToken(NOT_VALID_YET, path));
                }
                Instant expiresAt = Instant.ofEpochSecond(jwt.getExpirationTime());
                caller = claims.read(jwt).map(who -> new VerifiedTokens.Trusted(who, expiresAt));
                caller.ifPresent(trusted -> verified.remember(token, trusted));
            }
        } catch (ParseException e) {
            return Identified.refused(notVerified(e, token, request.method().name(), path));
        } catch (CallerClaims.Unacceptable e) {
            LOG.debugf("%s %s refused: %s", request.method(), path, e.getMessage());
            return Identified.refused(AuthProblems.unacceptableClaim(e.claim(), e.getMessage(), path));
        } catch (RuntimeException | StackOverflowError e) {
            // The parser's own failures on garbage (a JSON library's exception on a broken header), and its recursion on
            // a claim nested thousands deep (only a trusted key can sign one, but it must not end in a 500): a bad token.
            LOG.debugf("%s %s refused: unreadable token (%s)", request.method(), path, e.toString());
            return Identified.refused(AuthProblems.invalidToken("the token cannot be read as a JWT", path));
        }
        if (caller.isEmpty()) {
            LOG.debugf("%s %s refused: the token names no subject or client", request.method(), path);
            return Identified.refused(AuthProblems.invalidToken("the token names no subject (sub) nor client (azp, client_id)", path));
        }
        return new Identified(caller.get(), null);
    }

    /**
     * SmallRye JWT requires {@code iat} but never checks that it lies in the past (jose4j does only when told to, and
     * SmallRye does not tell it; {@code mp.jwt.verify.token.age} bounds only how old it is): a token issued later than
     * now, beyond the clock-skew leeway that {@code exp} gets ({@code mp.jwt.verify.clock.skew}), is not valid yet.
     */
    private boolean issuedInTheFuture(JsonWebToken jwt) {
        long issuedAt = jwt.getIssuedAtTime();
        return issuedAt > clock.instant().getEpochSecond() + UnverifiedClaims.clockSkew(settings);
    }

    /**
     * A token SmallRye JWT did not verify: 401 saying why, unless the keys to verify it with could not be fetched. Then
     * the token is not known to be bad and the client did nothing wrong: 503, try again soon; but a token whose claims
     * alone are wrong (expired, another issuer, no JWT at all) is still the client's mistake, 401.
     */
    private Response notVerified(ParseException failure, String token, String method, String path) {
        Optional<String> keysMissing = keys.unavailable(failure);
        if (keysMissing.isEmpty()) {
            return refused(failure, method, path);
        }
        Optional<Throwable> ownFault = UnverifiedClaims.fault(token, settings);
        if (ownFault.isPresent()) {
            return refused(ownFault.get(), method, path);
        }
        LOG.debugf("%s %s not checked: the keys that verify tokens cannot be fetched (%s)", method, path, keysMissing.get());
        return AuthProblems.keysUnavailable(TokenKeys.RETRY_AFTER, path);
    }

    private static Response refused(Throwable failure, String method, String path) {
        String why = whyInvalid(failure);
        LOG.debugf("%s %s refused: %s (%s)", method, path, why, failure.getMessage());
        return AuthProblems.invalidToken(why, path);
    }

    /** What the client may learn about its token: the kind of failure, never the configured keys or issuer. */
    static String whyInvalid(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidJwtException invalid) {
                if (invalid.hasExpired()) {
                    return "the token has expired";
                }
                if (invalid.hasErrorCode(ErrorCodes.NOT_YET_VALID) || invalid.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
                    return NOT_VALID_YET;
                }
                if (invalid.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || invalid.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
                    return "the token is not meant for this service (audience)";
                }
                if (invalid.hasErrorCode(ErrorCodes.ISSUER_INVALID) || invalid.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
                    return "the token was not issued by the issuer this service trusts";
                }
                if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || invalid.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
                    return "the token's signature does not verify";
                }
                if (invalid.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
                    return "the token has no expiry (exp)";
                }
            }
            String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
            // SmallRye's "Failed to load a key ... while resolving" (an UnresolvableKeyException) when the key set has
            // no key for the token's kid; the keys themselves could be fetched, or TokenKeys would have said so.
            if (cause instanceof UnresolvableKeyException || message.contains("unresolvable") || message.contains("no key")
                    || message.contains("key is not")) {
                return "no trusted key verifies the token's signature";
            }
        }
        return "the token is not a valid JWT";
    }
}
