package dev.switchboard.kit.auth;

import io.smallrye.jwt.KeyFormat;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import org.jboss.logging.Logger;
import org.jose4j.lang.UnresolvableKeyException;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tells a token that failed because this service cannot fetch the keys that verify tokens (the provider's JWKS endpoint
 * refuses connections, times out, is not in DNS, answers an error) from a token that is at fault. The first is no
 * mistake of the client's: it is answered 503 with Retry-After rather than 401, which would send the client for a new
 * token that fails the same way; and it is logged once, at WARN, as it starts, not per request.
 * <p>
 * SmallRye JWT shows it in two ways, and only the first names the cause:
 * <ul>
 * <li>until it has fetched the key set once, every parse fails with an {@link UnresolvableKeyException} ("SRJWT07003
 * Failed to load a key from ...") whose cause is the fetch's {@link IOException}: {@code ConnectException},
 * {@code UnknownHostException}, a timeout, or jose4j's "Non 200 status code (500 ...)";</li>
 * <li>once it has, and the cached set expired ({@code smallrye.jwt.jwks.refresh-interval}, an hour), a failed refresh
 * is swallowed and the parse fails with a bare {@code UnresolvableKeyException} ("SRJWT07005 ... while resolving"):
 * exactly what a token signed by a key the provider never had gets. Only the endpoint itself tells the two apart, so
 * then it is asked ({@link Endpoint}); its answer is kept for a while (an outage for {@link #RETRY_AFTER}, a working
 * endpoint for {@link #REACHABLE_KEPT}) so that tokens with unknown keys, which anyone can send, do not make the service
 * ask the provider with each request.</li>
 * </ul>
 * Every fetch goes through {@link KeyFetches}: an endpoint that hangs holds a request {@link KeyFetches#READ_TIMEOUT} at
 * most, and after a fetch failed none is tried for {@link #RETRY_AFTER}, so the requests meanwhile are answered at once.
 * The outage ends when a fetch succeeds, not when a token verifies: SmallRye verifies tokens by a key set it holds,
 * through an outage, as long as that set has not expired.
 */
final class TokenKeys {
    /** How soon a client should try again, and how long one answer of the endpoint is taken as its state. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    /**
     * How long the endpoint's answer that it serves keys is kept. Tokens signed by keys the provider never had (made-up
     * {@code kid}s) are what asks it, and anyone can send them: kept for a second, the service fetched the key set about
     * once a second for as long as they came. A fetch that fails meanwhile (SmallRye's refresh of an expired set, its
     * forced refresh for an unknown {@code kid}) drops the answer at once ({@link #fetchFailed()}), so an outage is
     * still told as soon as the service tries to fetch; until then the service holds an unexpired key set, and a token
     * whose key is not in it is refused (401) as it is while the provider is up.
     */
    static final Duration REACHABLE_KEPT = Duration.ofMinutes(1);
    private static final Logger LOG = Logger.getLogger(TokenKeys.class);
    private static final int MAX_CAUSES = 16;

    /** The key endpoint, asked directly: empty when it serves a key set now, else why it does not. */
    @FunctionalInterface
    interface Endpoint {
        Optional<String> unreachable();
    }

    private record Answer(Optional<String> unreachable, Instant keptUntil) {
    }

    private final String location;
    private final Optional<Endpoint> endpoint;
    private final Clock clock;
    private final AtomicBoolean down = new AtomicBoolean();
    private final ReentrantLock asking = new ReentrantLock();
    private volatile Answer lastAnswer;

    /**
     * @param location where the keys come from, for the log
     * @param endpoint the JWKS endpoint to ask when SmallRye's failure does not say; empty for a key from a file
     */
    TokenKeys(String location, Optional<Endpoint> endpoint, Clock clock) {
        this.location = location;
        this.endpoint = endpoint;
        this.clock = clock;
    }

    /**
     * The keys as the service's SmallRye JWT settings name them; the endpoint is asked the way SmallRye fetches keys, and
     * both fetch through {@code fetches} (whose successful fetches end an outage).
     */
    static TokenKeys of(JWTAuthContextInfo settings, KeyFetches fetches, Clock clock) {
        String location = settings.getPublicKeyLocation();
        // As SmallRye decides to fetch a JWK set over HTTP (AbstractKeyLocationResolver.isHttpsJwksInitialized).
        boolean jwksUrl = location != null && settings.getPublicKeyContent() == null
                && (settings.getKeyFormat() == KeyFormat.ANY || settings.getKeyFormat() == KeyFormat.JWK)
                && (location.startsWith("https:") || location.startsWith("http:"));
        TokenKeys keys = new TokenKeys(location == null ? "the configured key" : location,
                jwksUrl ? Optional.of(JwksEndpoint.of(settings, fetches)) : Optional.empty(), clock);
        fetches.whenFetched(keys::fetched);
        fetches.whenFailed(keys::fetchFailed);
        return keys;
    }

    /**
     * Why the keys cannot be fetched, when that is why the token failed to verify; empty when the token is at fault
     * (its signature, its claims, a key the provider does not have).
     */
    Optional<String> unavailable(Throwable failure) {
        Optional<String> why = fetchFailure(failure);
        if (why.isEmpty() && has(failure, UnresolvableKeyException.class)) {
            why = askEndpoint();
        }
        why.ifPresent(this::wentDown);
        return why;
    }

    /**
     * A token verified. A key from a file was read, then; a JWK set's fetches tell themselves ({@link #fetched()}), since
     * SmallRye verifies by the set it holds while the endpoint is down.
     */
    void verified() {
        if (endpoint.isEmpty()) {
            fetched();
        }
    }

    /** The keys were fetched: the provider serves them. */
    void fetched() {
        if (down.compareAndSet(true, false)) {
            lastAnswer = null; // the endpoint's answer from the outage is out of date
            LOG.infof("the keys that verify bearer tokens can be fetched again from %s", location);
        }
    }

    /** A fetch of the keys failed: the endpoint's answer that it serves them is out of date. */
    void fetchFailed() {
        Answer answer = lastAnswer;
        if (answer != null && answer.unreachable().isEmpty()) {
            lastAnswer = null;
        }
    }

    /** The IOException that kept SmallRye from loading the keys, described; it is never a token's doing. */
    static Optional<String> fetchFailure(Throwable failure) {
        int depth = 0;
        boolean loadingKeys = false;
        for (Throwable cause = failure; cause != null && depth++ < MAX_CAUSES; cause = cause.getCause()) {
            loadingKeys |= cause instanceof UnresolvableKeyException;
            // Only below the key's failure: an IOException elsewhere would be the parser's own business.
            if (loadingKeys && cause instanceof IOException io) {
                return Optional.of(describe(io));
            }
        }
        return Optional.empty();
    }

    static String describe(IOException failure) {
        if (failure instanceof KeyFetches.NotTried recent) {
            return recent.getMessage(); // the failure of the fetch a moment ago, described
        }
        String message = failure.getMessage();
        String kind = failure.getClass().getSimpleName();
        return message == null || message.isBlank() ? kind : kind + ": " + message;
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> kind) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth++ < MAX_CAUSES; cause = cause.getCause()) {
            if (kind.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** The endpoint's last answer while it is recent, else a new one; one request asks while the others wait for it. */
    private Optional<String> askEndpoint() {
        if (endpoint.isEmpty()) {
            return Optional.empty();
        }
        Answer answer = lastAnswer;
        if (answer == null || isOld(answer)) {
            asking.lock();
            try {
                answer = lastAnswer;
                if (answer == null || isOld(answer)) {
                    Optional<String> unreachable = endpoint.get().unreachable();
                    if (unreachable.isEmpty()) {
                        fetched();
                    }
                    answer = new Answer(unreachable, clock.instant().plus(unreachable.isPresent() ? RETRY_AFTER : REACHABLE_KEPT));
                    lastAnswer = answer;
                }
            } finally {
                asking.unlock();
            }
        }
        return answer.unreachable();
    }

    private boolean isOld(Answer answer) {
        return !clock.instant().isBefore(answer.keptUntil());
    }

    private void wentDown(String why) {
        if (down.compareAndSet(false, true)) {
            LOG.warnf("the keys that verify bearer tokens cannot be fetched from %s (%s): requests whose token was not "
                    + "verified in the last minute are answered 503 until they can; logged again once they could", location, why);
        } else {
            LOG.debugf("the keys that verify bearer tokens still cannot be fetched from %s (%s)", location, why);
        }
    }
}
