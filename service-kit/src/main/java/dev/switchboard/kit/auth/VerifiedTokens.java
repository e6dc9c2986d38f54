package dev.switchboard.kit.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens this service has verified recently, with the caller they name. A client sends the same token with every
 * request until it expires, and checking an RSA signature is the most expensive thing a small request does (about a
 * third of a millisecond of CPU); so a token verified once is trusted again until its own expiry, but never for longer
 * than {@link #MAX_TRUST} (a key withdrawn from the JWKS stops being trusted within that) and only while the cache holds
 * it. The exact token text is the key: any other text, however close, is verified in full.
 */
final class VerifiedTokens {
    static final Duration MAX_TRUST = Duration.ofMinutes(1);
    static final int CAPACITY = 4096;

    /** A token's caller and its expiry ({@code exp}). */
    record Trusted(Caller caller, Instant expiresAt) {
    }

    private record Verified(Trusted trusted, Instant trustedUntil) {
    }

    private final Map<String, Verified> byToken = new ConcurrentHashMap<>();
    private final Clock clock;

    VerifiedTokens(Clock clock) {
        this.clock = clock;
    }

    /** The caller of a token verified before, while it may still be trusted. */
    Optional<Trusted> find(String token) {
        Verified verified = byToken.get(token);
        if (verified == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(verified.trustedUntil())) {
            byToken.remove(token, verified);
            return Optional.empty();
        }
        return Optional.of(verified.trusted());
    }

    /** Remembers a token that verified, until its expiry or {@link #MAX_TRUST}. */
    void remember(String token, Trusted trusted) {
        Instant now = clock.instant();
        Instant until = trusted.expiresAt();
        Instant cap = now.plus(MAX_TRUST);
        if (!until.isAfter(now)) {
            return;
        }
        if (byToken.size() >= CAPACITY) {
            byToken.clear(); // many distinct tokens at once: start over rather than grow
        }
        byToken.put(token, new Verified(trusted, until.isBefore(cap) ? until : cap));
    }

    int size() {
        return byToken.size();
    }
}
