package dev.switchboard.kit.auth;

import io.smallrye.jwt.KeyProvider;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.KeyLocationResolver;
import io.smallrye.jwt.auth.principal.ParseException;
import org.jose4j.http.Get;
import org.jose4j.http.SimpleResponse;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every fetch of the provider's key set, SmallRye JWT's own and {@link JwksEndpoint}'s question alike, so that an
 * identity provider that hangs holds no request long.
 * <p>
 * SmallRye JWT fetches with jose4j's {@link Get} as it comes, and has no setting for its timeouts: 20 s to connect, 20 s
 * for each read, and 3 retries 180, 360 and 720 ms apart. Against an endpoint that accepts connections and never answers
 * one fetch took 81 s; until the key set was first fetched every request made one, one after another (SmallRye builds
 * its key resolver under a lock, and fetches in doing so), and once the cached set had expired one token waited for four
 * (the refresh, a forced one, and two more as it looks for the key again): 327 s. Here each fetch gives up after {@link #CONNECT_TIMEOUT} to
 * connect and {@link #READ_TIMEOUT} for an answer, once; only one is under way at a time; and after one failed, none is
 * tried for {@code pause} (the Retry-After clients are told): the keys cannot be fetched, at once. A key set SmallRye
 * holds and has not expired keeps verifying tokens meanwhile: that takes no fetch.
 */
final class KeyFetches {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(3);

    /** A fetch that was not tried, since the last one failed a moment ago; its message is that failure's. */
    static final class NotTried extends IOException {
        NotTried(String why) {
            super(why);
        }
    }

    private record Failure(String why, Instant at) {
    }

    private final Clock clock;
    private final Duration pause;
    private final ReentrantLock fetching = new ReentrantLock();
    private volatile Failure lastFailure;
    private volatile Runnable whenFetched = () -> {
    };
    private volatile Runnable whenFailed = () -> {
    };

    /** @param pause how long no fetch is tried after one failed */
    KeyFetches(Clock clock, Duration pause) {
        this.clock = clock;
        this.pause = pause;
    }

    /** What to do when a fetch succeeded: the provider serves its keys (a token verified by cached keys says nothing of it). */
    void whenFetched(Runnable action) {
        whenFetched = action;
    }

    /** What to do when a fetch failed (one not tried, since one failed a moment ago, does not count again). */
    void whenFailed(Runnable action) {
        whenFailed = action;
    }

    /** A jose4j client for the key set: SmallRye's and JwksEndpoint's set it up (TLS, proxy) further. */
    Get client() {
        return new Client();
    }

    /**
     * SmallRye JWT's parser with the service's settings, as Quarkus makes it ({@link DefaultJWTParser} with SmallRye's own
     * token parser and principal), except that its key resolver fetches a JWK set through {@link #client()}.
     */
    JWTParser parser(JWTAuthContextInfo settings) {
        DefaultJWTTokenParser tokens = new DefaultJWTTokenParser() {
            private volatile VerificationKeyResolver resolver;

            @Override
            protected VerificationKeyResolver getVerificationKeyResolver(JWTAuthContextInfo info) throws UnresolvableKeyException {
                if (info.getKeyProvider() == KeyProvider.AWS_ALB || info.isVerifyCertificateThumbprint()) {
                    return super.getVerificationKeyResolver(info); // resolvers of their own: no JWK set to fetch here
                }
                VerificationKeyResolver known = resolver;
                if (known == null) {
                    // As SmallRye does: one resolver, made by one request at a time; one that cannot fetch the keys is
                    // not kept, and the next request tries again (now within the timeouts, and not while paused).
                    synchronized (this) {
                        known = resolver;
                        if (known == null) {
                            known = new Resolver(info, KeyFetches.this);
                            resolver = known;
                        }
                    }
                }
                return known;
            }
        };
        return new DefaultJWTParser(settings, new JWTCallerPrincipalFactory() {
            @Override
            public JWTCallerPrincipal parse(String token, JWTAuthContextInfo info) throws ParseException {
                // As SmallRye's DefaultJWTCallerPrincipalFactory.
                JwtContext context = tokens.parse(token, info);
                return new DefaultJWTCallerPrincipal(context.getJoseObjects().getFirst().getHeader("typ"), context.getJwtClaims());
            }
        });
    }

    /** SmallRye's resolver; it only asks for a client of its own. */
    private static final class Resolver extends KeyLocationResolver {
        private final KeyFetches fetches;

        Resolver(JWTAuthContextInfo settings, KeyFetches fetches) throws UnresolvableKeyException {
            this.fetches = fetches; // before super(): SmallRye's constructor already fetches, through getHttpGet()
            super(settings);
        }

        @Override
        protected Get getHttpGet() {
            return fetches.client();
        }
    }

    private final class Client extends Get {
        Client() {
            setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            setReadTimeout((int) READ_TIMEOUT.toMillis());
            setRetries(0);
        }

        @Override
        public SimpleResponse get(String location) throws IOException {
            notWhilePaused();
            fetching.lock();
            try {
                notWhilePaused(); // the fetch this one waited for failed
                SimpleResponse response;
                try {
                    response = super.get(location);
                } catch (IOException e) {
                    lastFailure = new Failure(TokenKeys.describe(e), clock.instant());
                    whenFailed.run();
                    throw e;
                }
                lastFailure = null;
                whenFetched.run();
                return response;
            } finally {
                fetching.unlock();
            }
        }
    }

    private void notWhilePaused() throws NotTried {
        Failure failure = lastFailure;
        if (failure != null && clock.instant().isBefore(failure.at().plus(pause))) {
            throw new NotTried(failure.why());
        }
    }
}
