package dev.switchboard.kit.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AuditBudgetTest {
    private static final Instant T0 = Instant.parse("2026-12-06T09:00:00Z");

    @Test
    void aCallerGetsSoManyRecordsAWindowAndAFreshCountInTheNext() {
        AuditBudget budget = new AuditBudget(3, Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            assertThat(budget.spend("mallory", T0.plusSeconds(i))).isTrue();
        }
        assertThat(budget.spend("mallory", T0.plusSeconds(10))).as("the fourth within the minute").isFalse();
        assertThat(budget.spend("alice", T0.plusSeconds(10))).as("another caller's budget is their own").isTrue();
        assertThat(budget.spend("mallory", T0.plusSeconds(60))).as("a new minute").isTrue();
    }

    @Test
    void aBudgetOfOneRecordsAKeyOnceInItsQuietPeriod() {
        AuditBudget throttle = new AuditBudget(1, Duration.ofMinutes(1));
        assertThat(throttle.spend("k", T0)).isTrue();
        assertThat(throttle.spend("k", T0.plusSeconds(59))).isFalse();
        assertThat(throttle.spend("other", T0.plusSeconds(59))).isTrue();
        assertThat(throttle.spend("k", T0.plusSeconds(60))).isTrue();
    }
}
