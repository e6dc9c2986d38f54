package dev.switchboard.kit.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A verified token is trusted again until its expiry, at most a minute, and only the very same text. */
class VerifiedTokensTest {
    private final SteppedClock clock = SteppedClock.stoppedAt(Instant.parse("2026-12-04T10:00:00Z"));
    private final VerifiedTokens tokens = new VerifiedTokens(clock);
    private final Caller alice = new Caller("alice", "acme", Set.of("calls:read"), null);

    private VerifiedTokens.Trusted alice(Duration expiresIn) {
        return new VerifiedTokens.Trusted(alice, clock.instant().plus(expiresIn));
    }

    private void pass(Duration duration) {
        clock.skip(duration);
    }

    @Test
    void aVerifiedTokenIsTrustedAgainButNoLongerThanAMinute() {
        VerifiedTokens.Trusted trusted = alice(Duration.ofHours(1));
        tokens.remember("token-a", trusted);

        assertThat(tokens.find("token-a")).contains(trusted);
        assertThat(tokens.find("token-a ")).as("any other text is verified in full").isEmpty();
        pass(Duration.ofSeconds(59));
        assertThat(tokens.find("token-a")).contains(trusted);
        pass(Duration.ofSeconds(1));
        assertThat(tokens.find("token-a")).as("a minute at most: a withdrawn key stops being trusted").isEmpty();
    }

    @Test
    void aTokenIsNeverTrustedPastItsOwnExpiry() {
        tokens.remember("token-b", alice(Duration.ofSeconds(10)));
        pass(Duration.ofSeconds(10));
        assertThat(tokens.find("token-b")).isEmpty();

        tokens.remember("token-c", alice(Duration.ofSeconds(-5)));
        assertThat(tokens.find("token-c")).isEmpty();
    }

    @Test
    void manyDistinctTokensDoNotGrowTheCacheWithoutBound() {
        for (int i = 0; i < VerifiedTokens.CAPACITY * 3; i++) {
            tokens.remember("token-" + i, alice(Duration.ofHours(1)));
        }
        assertThat(tokens.size()).isLessThanOrEqualTo(VerifiedTokens.CAPACITY);
    }
}
