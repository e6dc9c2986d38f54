package dev.switchboard.gateway.api;

import dev.switchboard.kit.problem.ProblemException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WaitDurationTest {
    private static final Duration DEFAULT = Duration.ofSeconds(5);
    private static final Duration MAX = Duration.ofSeconds(30);

    private static Duration parse(String raw) {
        return WaitDuration.parse(raw, DEFAULT, MAX);
    }

    @Test
    void readsTheUsualSpellings() {
        assertThat(parse(null)).isEqualTo(DEFAULT);
        assertThat(parse("0")).isZero();
        assertThat(parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(parse("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(parse("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(parse("2.5s")).isEqualTo(Duration.ofMillis(2500));
        assertThat(parse("PT10S")).isEqualTo(Duration.ofSeconds(10));
        assertThat(parse("30s")).isEqualTo(MAX);
        assertThat(WaitDuration.parse("1m", DEFAULT, Duration.ofMinutes(1))).as("as a call's durations are spelt").isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void refusesWhatIsNotADurationOrTooLong() {
        for (String bad : new String[]{"", "soon", "5 min", "-1", "1d", "PTX", "5sec", "1.5m"}) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(ProblemException.class)
                    .hasMessage("wait must be a duration such as 0, 500ms, 5s or 1m, not \"" + bad + "\"");
        }
        assertThatThrownBy(() -> parse("30001ms")).hasMessage("wait must be at most 30s, not 30001ms");
        assertThatThrownBy(() -> parse("PT1M")).hasMessage("wait must be at most 30s, not PT1M");
        assertThatThrownBy(() -> parse("1m")).hasMessage("wait must be at most 30s, not 1m");
        assertThatThrownBy(() -> parse("1h")).hasMessage("wait must be at most 30s, not 1h");
    }
}
