package dev.switchboard.controller.webhook;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.JWTVerifier;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.switchboard.controller.livekit.LiveKitSettings;
import jakarta.enterprise.context.ApplicationScoped;
import livekit.LivekitWebhook.WebhookEvent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/**
 * Checks LiveKit's webhook signature: the Authorization header is a JWT (HS256 with the API secret, issuer the API
 * key) whose {@code sha256} claim is the body's base64 SHA-256. Unlike the SDK's receiver, the token must carry an
 * expiry (LiveKit's are valid for five minutes), and its exp and nbf are checked with
 * {@link WebhookSettings#clockSkew()} leeway, so a few seconds between LiveKit's clock and ours refuse nothing.
 */
@ApplicationScoped
public class WebhookSignature {

    /** The signature did not hold: 401. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Signed correctly, but the body is not a WebhookEvent: 400. */
    public static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private final JWTVerifier verifier;

    WebhookSignature(LiveKitSettings livekit, WebhookSettings settings, Clock clock) {
        if (!livekit.configured()) {
            this.verifier = null;
            return;
        }
        // JWT.require returns the library's BaseVerification, whose build(Clock) lets the expiry follow our clock.
        var verification = (com.auth0.jwt.JWTVerifier.BaseVerification) JWT.require(Algorithm.HMAC256(livekit.apiSecret().orElseThrow()))
                .withIssuer(livekit.apiKey().orElseThrow())
                .withClaimPresence("exp")
                .acceptLeeway(settings.clockSkew().toSeconds());
        this.verifier = verification.build(clock);
    }

    /** False without LiveKit's key and secret: nothing can be verified. */
    public boolean configured() {
        return verifier != null;
    }

    /** The event the token signs; the body is parsed only once the signature held. */
    public WebhookEvent verify(byte[] body, String token) throws Refused, Malformed {
        if (verifier == null) {
            throw new IllegalStateException("LiveKit is not configured");
        }
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (JWTVerificationException e) {
            throw new Refused(e.getMessage());
        }
        String claimed = Optional.ofNullable(jwt.getClaim("sha256").asString()).orElse("");
        if (!MessageDigest.isEqual(claimed.getBytes(StandardCharsets.US_ASCII), sha256(body).getBytes(StandardCharsets.US_ASCII))) {
            throw new Refused("sha256 checksum of body does not match the signature's");
        }
        WebhookEvent.Builder event = WebhookEvent.newBuilder();
        try {
            // Unknown fields are ignored: a newer LiveKit server adds fields before this controller knows them.
            JsonFormat.parser().ignoringUnknownFields().merge(new String(body, StandardCharsets.UTF_8), event);
        } catch (InvalidProtocolBufferException e) {
            throw new Malformed(e.getMessage());
        }
        return event.build();
    }

    private static String sha256(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
