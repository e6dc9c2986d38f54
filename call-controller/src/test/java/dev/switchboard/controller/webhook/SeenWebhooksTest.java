package dev.switchboard.controller.webhook;

import dev.switchboard.testing.MovableClock;
import io.quarkus.runtime.configuration.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.switchboard.controller.webhook.SeenWebhooks.Claim.DUPLICATE;
import static dev.switchboard.controller.webhook.SeenWebhooks.Claim.FULL;
import static dev.switchboard.controller.webhook.SeenWebhooks.Claim.NEW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeenWebhooksTest {
    private final MovableClock clock = new MovableClock();

    private Instant in(Duration duration) {
        return clock.instant().plus(duration);
    }

    @Test
    void anIdIsADuplicateUntilItsEventWouldBeStaleThenForgotten() {
        SeenWebhooks seen = new SeenWebhooks(10, clock);
        assertThat(seen.claim("EV_1", in(Duration.ofMinutes(5)))).isEqualTo(NEW);
        assertThat(seen.claim("EV_1", in(Duration.ofMinutes(5)))).isEqualTo(DUPLICATE);
        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertThat(seen.claim("EV_1", in(Duration.ofMinutes(5)))).isEqualTo(DUPLICATE);
        clock.advance(Duration.ofSeconds(1));
        assertThat(seen.claim("EV_1", in(Duration.ofMinutes(5)))).as("expired, so claimed anew").isEqualTo(NEW);
    }

    @Test
    void aReleasedIdIsHandledAgain() {
        SeenWebhooks seen = new SeenWebhooks(10, clock);
        assertThat(seen.claim("EV_1", in(Duration.ofMinutes(5)))).isEqualTo(NEW);
        seen.release("EV_1");
        assertThat(seen.claim("EV_1", in(Duration.ofMinutes(5)))).isEqualTo(NEW);
    }

    @Test
    void whenFullOfLiveIdsANewOneIsRefusedNotRememberedAndLiveOnesAreNotForgotten() {
        SeenWebhooks seen = new SeenWebhooks(3, clock);
        for (int i = 0; i < 3; i++) {
            assertThat(seen.claim("EV_" + i, in(Duration.ofMinutes(1 + i)))).isEqualTo(NEW);
        }
        assertThat(seen.claim("EV_new", in(Duration.ofMinutes(5)))).isEqualTo(FULL);
        assertThat(seen.size()).isEqualTo(3);
        assertThat(seen.claim("EV_0", in(Duration.ofMinutes(5)))).as("still guarded").isEqualTo(DUPLICATE);

        clock.advance(Duration.ofMinutes(1)); // EV_0 expires: room for one
        assertThat(seen.claim("EV_new", in(Duration.ofMinutes(5)))).isEqualTo(NEW);
        assertThat(seen.claim("EV_other", in(Duration.ofMinutes(5)))).isEqualTo(FULL);
        assertThat(seen.claim("EV_1", in(Duration.ofMinutes(5)))).isEqualTo(DUPLICATE);
    }

    @Test
    void expiredIdsAreSweptSoTheMemoryStaysAtWhatTheWindowHolds() {
        SeenWebhooks seen = new SeenWebhooks(100_000, clock);
        for (int i = 0; i < 1_000; i++) {
            seen.claim("EV_" + i, in(Duration.ofSeconds(1)));
            clock.advance(Duration.ofMillis(100));
        }
        // Ids live 1 s and arrive every 100 ms: about ten are live at once; sweeps run every 256 claims.
        assertThat(seen.size()).isLessThanOrEqualTo(256 + 10);
    }

    /** A setting: a ConfigurationException, which Quarkus prints as one line, naming it. */
    @Test
    void aLimitBelowOneNamesTheSetting() {
        assertThatThrownBy(() -> new SeenWebhooks(0, clock))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("switchboard.webhook.max-remembered-ids (SWITCHBOARD_WEBHOOK_MAX_REMEMBERED_IDS) must be positive, not 0");
    }
}
