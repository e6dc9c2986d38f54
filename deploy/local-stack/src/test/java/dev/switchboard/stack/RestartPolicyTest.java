package dev.switchboard.stack;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RestartPolicyTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void theDelayDoublesWithEachRecentRestartUpToTheLimit() {
        List<Instant> restarts = new ArrayList<>();
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            delays.add(RestartPolicy.DEFAULT.nextDelay(restarts, NOW).orElseThrow());
            restarts.add(NOW.minusSeconds(60 - i));
        }
        assertThat(delays).extracting(Duration::toSeconds).containsExactly(1L, 2L, 4L, 8L, 16L);
        assertThat(RestartPolicy.DEFAULT.nextDelay(restarts, NOW)).as("a sixth death within 10 min").isEmpty();
    }

    @Test
    void restartsOlderThanTheWindowAreForgotten() {
        List<Instant> restarts = List.of(NOW.minus(Duration.ofMinutes(30)), NOW.minus(Duration.ofMinutes(20)), NOW.minus(Duration.ofMinutes(11)),
                NOW.minus(Duration.ofMinutes(15)), NOW.minus(Duration.ofMinutes(12)), NOW.minusSeconds(5));
        assertThat(RestartPolicy.DEFAULT.recentRestarts(restarts, NOW)).isEqualTo(1);
        assertThat(RestartPolicy.DEFAULT.nextDelay(restarts, NOW)).contains(Duration.ofSeconds(2));
    }

    @Test
    void theDelayNeverExceedsTheMaximum() {
        RestartPolicy policy = new RestartPolicy(50, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(30));
        List<Instant> restarts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            restarts.add(NOW.minusSeconds(100 - i));
        }
        assertThat(policy.nextDelay(restarts, NOW)).contains(Duration.ofSeconds(30));
    }

    @Test
    void aLimitOfZeroNeverRestarts() {
        assertThat(RestartPolicy.DEFAULT.withLimit(0).nextDelay(List.of(), NOW)).isEmpty();
        assertThat(RestartPolicy.DEFAULT.withLimit(0).describe()).isEqualTo("0 restarts within 10 min");
        assertThat(RestartPolicy.DEFAULT.withLimit(1).describe()).isEqualTo("1 restart within 10 min");
    }
}
