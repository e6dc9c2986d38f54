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
    }

    @Test
    void refusesWhatIsNotADurationOrTooLong() {
        for (String bad : new String[]{"", "soon", "5 min", "-1", "1h", "PTX", "5sec"}) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(ProblemException.class)
                    .hasMessage("wait must be a duration such as 0, 500ms or 5s, not \"" + bad + "\"");
        }
        assertThatThrownBy(() -> parse("30001ms")).hasMessage("wait must be at most 30s, not 30001ms");
        assertThatThrownBy(() -> parse("PT1M")).hasMessage("wait must be at most 30s, not PT1M");
    }
}
