package dev.switchboard.kit.auth;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

import java.util.Optional;
import java.util.Set;

/**
 * What is wrong with a token whatever its signature: it is no JWT, it has expired or is not valid yet (issued in the
 * future included), it has no expiry, or it names another issuer or audience (checked as SmallRye JWT and
 * {@link BearerAuthentication} check them, with the same settings). Asked only while
 * the keys cannot be fetched: such a token is the client's mistake, answered 401 then too, never the 503 of an outage.
 */
final class UnverifiedClaims {
    private UnverifiedClaims() {
    }

    /** The clock-skew leeway in seconds SmallRye JWT gives {@code exp} ({@code mp.jwt.verify.clock.skew}, 60 s). */
    static int clockSkew(JWTAuthContextInfo settings) {
        return settings.getExpGracePeriodSecs() > 0 ? settings.getExpGracePeriodSecs() : Math.max(0, settings.getClockSkew());
    }

    /** The failure the token's claims alone earn it; empty when only its signature is left to check. */
    static Optional<Throwable> fault(String token, JWTAuthContextInfo settings) {
        JwtConsumerBuilder claims = new JwtConsumerBuilder()
                .setSkipSignatureVerification()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(clockSkew(settings))
                // As BearerAuthentication checks a verified token: issued (iat) no later than now and the leeway.
                .setIssuedAtRestrictions(0, Integer.MAX_VALUE);
        if (settings.getIssuedBy() != null) {
            claims.setExpectedIssuer(settings.getIssuedBy());
        }
        Set<String> audiences = settings.getExpectedAudience();
        if (audiences != null) {
            claims.setExpectedAudience(audiences.toArray(String[]::new));
        } else {
            claims.setSkipDefaultAudienceValidation();
        }
        try {
            claims.build().process(token);
            return Optional.empty();
        } catch (InvalidJwtException e) {
            return Optional.of(e);
        } catch (RuntimeException | StackOverflowError e) {
            // As in BearerAuthentication: a parser's failure on garbage, or on a claim nested thousands deep.
            return Optional.of(e);
        }
    }
}
