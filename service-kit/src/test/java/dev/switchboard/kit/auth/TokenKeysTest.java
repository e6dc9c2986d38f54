package dev.switchboard.kit.auth;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.Config;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.UnresolvableKeyException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a key outage is told from a bad token in SmallRye JWT's failures (shaped as {@code BearerAuthenticationTest} saw
 * SmallRye throw them), and how often the key endpoint is asked when the failure does not say.
 */
class TokenKeysTest {
    private final SteppedClock clock = SteppedClock.stoppedAt(Instant.parse("2026-12-04T10:00:00Z"));
    private final AtomicInteger asked = new AtomicInteger();
    private final AtomicReference<Optional<String>> endpointSays = new AtomicReference<>(Optional.empty());
    private final TokenKeys keys = new TokenKeys("https://idp.test/jwks", Optional.of(() -> {
        asked.incrementAndGet();
        return endpointSays.get();
    }), clock);

    /** SRJWT07003: the key set was never fetched, and the fetch's failure is the cause. */
    private static ParseException notFetched(IOException why) {
        return new ParseException("SRJWT07000: Failed to verify a token",
                new UnresolvableKeyException("SRJWT07003: Failed to load a key from https://idp.test/jwks", why));
    }

    /** SRJWT07005: no key for the token, whether the refresh failed or the key set has none. */
    private static ParseException noKey() {
        return new ParseException("SRJWT07000: Failed to verify a token",
                new UnresolvableKeyException("SRJWT07005: Failed to load a key from https://idp.test/jwks property while resolving"));
    }

    private void pass(Duration duration) {
        clock.skip(duration);
    }

    @Test
    void aFetchThatFailedIsAnOutageWithoutAskingTheEndpoint() {
        assertThat(keys.unavailable(notFetched(new ConnectException("Connection refused"))))
                .contains("ConnectException: Connection refused");
        assertThat(keys.unavailable(notFetched(new IOException("Non 200 status code (502 Bad Gateway) returned from https://idp.test/jwks"))))
                .contains("IOException: Non 200 status code (502 Bad Gateway) returned from https://idp.test/jwks");
        assertThat(asked).hasValue(0);
    }

    @Test
    void aTokenThatIsAtFaultIsNoOutage() {
        InvalidJwtException badSignature = new InvalidJwtException("JWT rejected due to invalid signature", List.of(), null);
        assertThat(keys.unavailable(new ParseException("SRJWT07000: Failed to verify a token", badSignature))).isEmpty();
        assertThat(keys.unavailable(new ParseException("SRJWT07000", new IllegalStateException("x", new IOException("elsewhere")))))
                .as("an IOException that is not the keys' failure").isEmpty();
        assertThat(asked).as("nothing to ask about").hasValue(0);

        assertThat(keys.unavailable(noKey())).as("the endpoint serves keys: the token's key is not among them").isEmpty();
        assertThat(asked).hasValue(1);
    }

    @Test
    void whenTheFailureDoesNotSayTheEndpointIsAskedAndItsOutageKeptForRetryAfter() {
        endpointSays.set(Optional.of("ConnectException: Connection refused"));
        assertThat(keys.unavailable(noKey())).contains("ConnectException: Connection refused");
        pass(TokenKeys.RETRY_AFTER.minusMillis(1));
        assertThat(keys.unavailable(noKey())).isPresent();
        assertThat(asked).as("one question per Retry-After, whatever the traffic").hasValue(1);
        pass(Duration.ofMillis(1));
        assertThat(keys.unavailable(noKey())).isPresent();
        assertThat(asked).hasValue(2);
    }

    @Test
    void aWorkingEndpointIsAskedAgainSoonAndAVerifiedTokenEndsTheOutage() {
        assertThat(keys.unavailable(noKey())).isEmpty();
        endpointSays.set(Optional.of("HttpTimeoutException"));
        assertThat(keys.unavailable(noKey())).as("the answer is kept a moment").isEmpty();
        pass(TokenKeys.REACHABLE_KEPT);
        assertThat(keys.unavailable(noKey())).as("an outage that began since").contains("HttpTimeoutException");
        assertThat(asked).hasValue(2);

        keys.fetched();
        endpointSays.set(Optional.empty());
        assertThat(keys.unavailable(noKey())).as("the outage's answer is dropped once a token verified").isEmpty();
        assertThat(asked).hasValue(3);
    }

    @Test
    void aFailedFetchDropsTheAnswerThatTheEndpointServesKeys() {
        assertThat(keys.unavailable(noKey())).isEmpty();
        endpointSays.set(Optional.of("HttpTimeoutException"));
        keys.fetchFailed(); // SmallRye's refresh failed
        assertThat(keys.unavailable(noKey())).as("asked again at once").contains("HttpTimeoutException");
        assertThat(asked).hasValue(2);
    }

    @Test
    void theKitBoundsSmallRyesForcedRefreshForUnknownKeyIds() {
        // Every service reads the kit's META-INF/microprofile-config.properties; a service may still override it.
        Config config = new SmallRyeConfigBuilder().addDefaultSources().build();
        assertThat(config.getValue("smallrye.jwt.jwks.forced-refresh-interval", Integer.class)).as("minutes").isEqualTo(5);
    }

    @Test
    void aKeyFromAFileHasNoEndpointToAsk() {
        TokenKeys pem = TokenKeys.of(new JWTAuthContextInfo("dev/switchboard/test/public-key.pem", "https://idp.test"),
                new KeyFetches(clock, TokenKeys.RETRY_AFTER), clock);
        assertThat(pem.unavailable(noKey())).isEmpty();
        assertThat(pem.unavailable(notFetched(new IOException("No resource with the named dev/switchboard/test/public-key.pem location exists"))))
                .as("a key file that is not there is no client's fault either").isPresent();
    }
}
