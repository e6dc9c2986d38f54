package dev.switchboard.testing.sfu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * LiveKit access tokens: HS256 JWTs signed with the API secret, issuer = API key, subject = identity,
 * grants under {@code video} ({@code room}, {@code roomJoin}, {@code canPublish}...). Minting is for tests;
 * verification is what the fake SFU does at {@code /rtc}.
 */
public final class AccessTokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final long LEEWAY_SECONDS = 10;

    private AccessTokens() {
    }

    /** What the SFU takes from a valid room token. Publish/subscribe grants default to true, as LiveKit's do. */
    public record Claims(String apiKey, String identity, String name, String room, String kind, String metadata,
            Map<String, String> attributes, boolean canPublish, boolean canSubscribe, boolean canPublishData,
            boolean agent, Instant expiresAt) {}

    /** A refused token, with a reason for the HTTP answer. */
    public static final class InvalidTokenException extends Exception {
        public InvalidTokenException(String message) {
            super(message);
        }
    }

    /** What to put in a token (tests). */
    public record Grant(String identity, String room, Duration ttl, boolean roomJoin, String name, String kind,
            String metadata, Map<String, String> attributes) {

        public static Grant join(String identity, String room) {
            return new Grant(identity, room, Duration.ofMinutes(10), true, identity, null, null, Map.of());
        }

        /** An agent's token (what a LiveKit server puts in a job assignment). */
        public static Grant agent(String identity, String room) {
            return new Grant(identity, room, Duration.ofMinutes(10), true, identity, "agent", null, Map.of());
        }

        public Grant withTtl(Duration t) {
            return new Grant(identity, room, t, roomJoin, name, kind, metadata, attributes);
        }

        public Grant withRoomJoin(boolean join) {
            return new Grant(identity, room, ttl, join, name, kind, metadata, attributes);
        }
    }

    public static String mint(String apiKey, String apiSecret, Grant grant) {
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = JSON.createObjectNode();
        claims.put("iss", apiKey);
        claims.put("sub", grant.identity());
        claims.put("jti", grant.identity());
        claims.put("nbf", now - 1);
        claims.put("exp", now + grant.ttl().toSeconds());
        if (grant.name() != null) {
            claims.put("name", grant.name());
        }
        if (grant.kind() != null) {
            claims.put("kind", grant.kind());
        }
        if (grant.metadata() != null) {
            claims.put("metadata", grant.metadata());
        }
        if (!grant.attributes().isEmpty()) {
            ObjectNode attrs = claims.putObject("attributes");
            grant.attributes().forEach(attrs::put);
        }
        ObjectNode video = claims.putObject("video");
        video.put("room", grant.room());
        video.put("roomJoin", grant.roomJoin());
        video.put("canPublish", true);
        video.put("canSubscribe", true);
        video.put("canPublishData", true);
        if ("agent".equals(grant.kind())) {
            video.put("agent", true);
        }
        return sign(claims, apiSecret);
    }

    static String sign(JsonNode claims, String apiSecret) {
        try {
            String header = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String payload = B64.encodeToString(JSON.writeValueAsBytes(claims));
            String signingInput = header + "." + payload;
            return signingInput + "." + B64.encodeToString(hmac(apiSecret, signingInput));
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign token", e);
        }
    }

    /** Verifies a worker's token for {@code /agent}: signature, issuer, time window and the {@code video.agent} grant. */
    public static String verifyAgent(String token, String apiKey, String apiSecret) throws InvalidTokenException {
        JsonNode claims = verifiedClaims(token, apiKey, apiSecret);
        if (!claims.path("video").path("agent").asBoolean(false)) {
            throw new InvalidTokenException("no permissions to register an agent (video.agent)");
        }
        return claims.path("sub").asText("");
    }

    /** Verifies signature, issuer, time window and the room-join grant. */
    public static Claims verify(String token, String apiKey, String apiSecret) throws InvalidTokenException {
        JsonNode claims = verifiedClaims(token, apiKey, apiSecret);
        String identity = claims.path("sub").asText("");
        JsonNode video = claims.path("video");
        if (!video.path("roomJoin").asBoolean(false)) {
            throw new InvalidTokenException("no permissions to access the room (video.roomJoin)");
        }
        String room = video.path("room").asText("");
        if (room.isEmpty()) {
            throw new InvalidTokenException("no room in the token's grant");
        }
        if (identity.isEmpty()) {
            throw new InvalidTokenException("no identity (sub) in the token");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        claims.path("attributes").properties().forEach(e -> attributes.put(e.getKey(), e.getValue().asText()));
        return new Claims(apiKey, identity, claims.path("name").asText(identity), room,
                claims.path("kind").asText(""), claims.path("metadata").asText(""), Map.copyOf(attributes),
                video.path("canPublish").asBoolean(true), video.path("canSubscribe").asBoolean(true),
                video.path("canPublishData").asBoolean(true), video.path("agent").asBoolean(false),
                claims.has("exp") ? Instant.ofEpochSecond(claims.get("exp").asLong()) : null);
    }

    /** The claims of a token with a valid signature, a known issuer and a current time window. */
    private static JsonNode verifiedClaims(String token, String apiKey, String apiSecret) throws InvalidTokenException {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException("no access token");
        }
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            throw new InvalidTokenException("malformed token");
        }
        JsonNode header;
        JsonNode claims;
        byte[] signature;
        try {
            header = JSON.readTree(B64D.decode(parts[0]));
            claims = JSON.readTree(B64D.decode(parts[1]));
            signature = B64D.decode(parts[2]);
        } catch (Exception e) {
            throw new InvalidTokenException("malformed token: " + e.getMessage());
        }
        if (!"HS256".equals(header.path("alg").asText())) {
            throw new InvalidTokenException("unsupported algorithm " + header.path("alg").asText());
        }
        byte[] expected;
        try {
            expected = hmac(apiSecret, parts[0] + "." + parts[1]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        if (!MessageDigest.isEqual(expected, signature)) {
            throw new InvalidTokenException("invalid token signature");
        }
        if (!apiKey.equals(claims.path("iss").asText())) {
            throw new InvalidTokenException("unknown API key " + claims.path("iss").asText());
        }
        long now = Instant.now().getEpochSecond();
        if (claims.has("exp") && claims.get("exp").asLong() + LEEWAY_SECONDS < now) {
            throw new InvalidTokenException("token expired");
        }
        if (claims.has("nbf") && claims.get("nbf").asLong() - LEEWAY_SECONDS > now) {
            throw new InvalidTokenException("token not valid yet");
        }
        return claims;
    }

    private static byte[] hmac(String secret, String input) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
    }
}
