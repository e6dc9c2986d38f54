package dev.switchboard.controller.hangup;

import dev.switchboard.events.HangupMethod;
import dev.switchboard.testing.MovableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class CallLedgerTest {
    private final MovableClock clock = new MovableClock();
    private final CallLedger ledger = new CallLedger(Duration.ofMinutes(10), clock);

    @Test
    void anEndedRoomIsRememberedForItsSessionAndForTheConfiguredTime() {
        ledger.hangupStarted("r", "s1", "c1");
        assertThat(ledger.ended("r", "s1")).isEmpty();
        ledger.hangupSucceeded("r", "s1", "c1", HangupMethod.DELETE_ROOM);

        assertThat(ledger.commandHandled("c1")).isTrue();
        assertThat(ledger.ended("r", "s1")).isPresent();
        assertThat(ledger.ended("r", null)).as("a request that names no session").isPresent();
        assertThat(ledger.ended("r", "s2")).as("a later call in a reused room").isEmpty();

        clock.advance(Duration.ofMinutes(10));
        assertThat(ledger.ended("r", "s1")).isEmpty();
        assertThat(ledger.commandHandled("c1")).isFalse();
    }

    @Test
    void roomFinishedCausedByOurHangupIsNotNews() {
        ledger.hangupStarted("r", "s1", "c1");
        assertThat(ledger.roomFinished("r", "RM_1")).isFalse();
        ledger.hangupSucceeded("r", "s1", "c1", HangupMethod.DELETE_ROOM);
        assertThat(ledger.roomFinished("r", "RM_1")).as("LiveKit's retry of the same webhook").isFalse();
        assertThat(ledger.roomFinished("r", "RM_2")).as("the next incarnation of the room").isTrue();
        assertThat(ledger.roomFinished("r", "RM_2")).isFalse();
    }

    @Test
    void aFailedHangupDuringWhichTheRoomFinishedCountsAsGone() {
        ledger.hangupStarted("r", "s1", "c1");
        assertThat(ledger.hangupFailed("r", "c1")).isFalse();
        assertThat(ledger.ended("r", "s1")).isEmpty();

        ledger.hangupStarted("r", "s1", "c2");
        ledger.roomFinished("r", "RM_1");
        assertThat(ledger.hangupFailed("r", "c2")).isTrue();
    }

    @Test
    void anObservedEndThatCouldNotBePublishedIsForgotten() {
        assertThat(ledger.roomFinished("r", "RM_1")).isTrue();
        ledger.forgetObservedEnd("r", "RM_1");
        assertThat(ledger.roomFinished("r", "RM_1")).isTrue();
        assertThat(ledger.ended("r", "s9")).as("an observed end knows no session: it ends every session of the room").isPresent();
    }
}
