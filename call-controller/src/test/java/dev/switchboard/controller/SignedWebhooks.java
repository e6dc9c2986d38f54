package dev.switchboard.controller;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import livekit.LivekitModels;
import livekit.LivekitWebhook.WebhookEvent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

/** Webhook deliveries as LiveKit makes them: protojson body, Authorization = JWT (HS256, iss = key) with the body's sha256. */
final class SignedWebhooks {
    private SignedWebhooks() {
    }

    record Delivery(byte[] body, String authorization) {
    }

    static WebhookEvent.Builder event(String type, String room) {
        return WebhookEvent.newBuilder()
                .setEvent(type)
                .setId("EV_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
                .setCreatedAt(Instant.now().getEpochSecond())
                .setRoom(LivekitModels.Room.newBuilder().setName(room).setSid("RM_" + room.hashCode()));
    }

    static Delivery sign(WebhookEvent event, String apiKey, String apiSecret) {
        try {
            return sign(JsonFormat.printer().print(event).getBytes(StandardCharsets.UTF_8), apiKey, apiSecret);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    static Delivery sign(byte[] body, String apiKey, String apiSecret) {
        return sign(body, apiKey, apiSecret, Instant.now().plus(Duration.ofMinutes(5)));
    }

    /** Signed as LiveKit signs, with a token that expires at the given time (valid from five minutes before). */
    static Delivery sign(byte[] body, String apiKey, String apiSecret, Instant expiresAt) {
        return sign(body, apiKey, apiSecret, expiresAt.minus(Duration.ofMinutes(5)), expiresAt);
    }

    /** Signed with a token valid from {@code notBefore} until {@code expiresAt}; a null expiresAt leaves exp out. */
    static Delivery sign(byte[] body, String apiKey, String apiSecret, Instant notBefore, Instant expiresAt) {
        var token = JWT.create()
                .withIssuer(apiKey)
                .withNotBefore(Date.from(notBefore))
                .withClaim("sha256", sha256(body));
        if (expiresAt != null) {
            token.withExpiresAt(Date.from(expiresAt));
        }
        return new Delivery(body, token.sign(Algorithm.HMAC256(apiSecret)));
    }

    static String sha256(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
