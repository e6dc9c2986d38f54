package dev.switchboard.gateway.api;

import dev.switchboard.kit.problem.ProblemException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallDurationsTest {
    private static Duration maxDuration(String raw) {
        return CallDurations.parse("maxDuration", raw, Duration.ofSeconds(1), CallRequests.MAX_CALL_DURATION);
    }

    @Test
    void readsShortSpellingsAndIsoDurationsWithDays() {
        assertThat(maxDuration(null)).isNull();
        assertThat(maxDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(maxDuration("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(maxDuration("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
        assertThat(maxDuration("pt2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(maxDuration("P1D")).as("ISO-8601 with days, within range").isEqualTo(Duration.ofHours(24));
        assertThat(maxDuration("PT1.000S")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aDurationTooLongForAnyNumberIsA400NamingTheFieldAndItsRange() {
        for (String huge : new String[]{"PT99999999999999H", "PT9999999999999H", "P99999999999D"}) {
            assertThatThrownBy(() -> CallDurations.parse("ringingTimeout", huge, Duration.ofSeconds(1), CallRequests.MAX_RINGING_TIMEOUT))
                    .as(huge).isInstanceOf(ProblemException.class)
                    .hasMessage("ringingTimeout must be between 1s and 300s, not " + huge)
                    .satisfies(e -> assertThat(((ProblemException) e).type().status()).isEqualTo(400));
            assertThatThrownBy(() -> maxDuration(huge)).hasMessage("maxDuration must be between 1s and 86400s, not " + huge);
        }
        assertThatThrownBy(() -> maxDuration("P2D")).hasMessageContaining("between 1s and 86400s");
    }

    @Test
    void onlyWholeSecondsExactly() {
        for (String fraction : new String[]{"PT1.0001S", "PT1.5S", "PT10.000000001S", "PT0.5S"}) {
            assertThatThrownBy(() -> maxDuration(fraction)).as(fraction).isInstanceOf(ProblemException.class)
                    .hasMessageContaining("maxDuration must be a duration of whole seconds");
        }
        for (String bad : new String[]{"", "soon", "P1M", "P1Y", "1d", "1.5m", "-PT5S"}) {
            assertThatThrownBy(() -> maxDuration(bad)).as(bad).isInstanceOf(ProblemException.class)
                    .hasMessageContaining("maxDuration must be");
        }
    }
}
