package dev.switchboard.controller.hangup;

import dev.switchboard.events.HangupMethod;
import dev.switchboard.testing.MovableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CallLedgerTest {
    private final MovableClock clock = new MovableClock();
    private final CallLedger ledger = new CallLedger(Duration.ofMinutes(10), clock);

    @Test
    void anEndedRoomIsRememberedForItsSessionAndForTheConfiguredTime() {
        Instant before = clock.instant();
        ledger.hangupStarted("r", "s1", "c1");
        assertThat(ledger.ended("r", "s1", before)).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        ledger.hangupSucceeded("r", "s1", "c1", HangupMethod.DELETE_ROOM);

        assertThat(ledger.commandHandled("c1")).isTrue();
        assertThat(ledger.ended("r", "s1", before)).isPresent();
        assertThat(ledger.ended("r", "s1", clock.instant().plusSeconds(5))).as("the same session, whenever issued").isPresent();
        assertThat(ledger.ended("r", null, before)).as("a request that names no session, issued before the end").isPresent();
        assertThat(ledger.ended("r", "s2", before)).as("a later call in a reused room").isEmpty();

        clock.advance(Duration.ofMinutes(10));
        assertThat(ledger.ended("r", "s1", before)).isEmpty();
        assertThat(ledger.commandHandled("c1")).isFalse();
    }

    @Test
    void aHangupIssuedAfterAnEndThatNamedNoSessionIsForTheRoomsNextCall() {
        Instant firstCall = clock.instant();
        ledger.hangupStarted("r", null, "c1");
        ledger.hangupSucceeded("r", null, "c1", HangupMethod.DELETE_ROOM);
        clock.advance(Duration.ofSeconds(30));
        Instant secondCall = clock.instant();

        assertThat(ledger.ended("r", null, firstCall)).as("a second request meant for the first call").isPresent();
        assertThat(ledger.ended("r", "s2", secondCall)).as("the next call's own session, issued after the end").isEmpty();
        assertThat(ledger.ended("r", null, secondCall)).as("a room-only hang-up issued after the end").isEmpty();
    }

    @Test
    void aHangupNamingNoSessionIssuedAfterAnEndIsCarriedOut() {
        Instant firstCall = clock.instant();
        ledger.hangupStarted("r", "s1", "c1");
        ledger.hangupSucceeded("r", "s1", "c1", HangupMethod.DELETE_ROOM);
        clock.advance(Duration.ofSeconds(30));

        assertThat(ledger.ended("r", null, firstCall)).isPresent();
        assertThat(ledger.ended("r", null, clock.instant())).as("whatever call is in the room now").isEmpty();
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
        assertThat(ledger.ended("r", "s1", clock.instant())).isEmpty();

        ledger.hangupStarted("r", "s1", "c2");
        ledger.roomFinished("r", "RM_1");
        assertThat(ledger.hangupFailed("r", "c2")).isTrue();
    }

    @Test
    void anObservedEndThatCouldNotBePublishedIsForgotten() {
        assertThat(ledger.roomFinished("r", "RM_1")).isTrue();
        ledger.forgetObservedEnd("r", "RM_1");
        assertThat(ledger.roomFinished("r", "RM_1")).isTrue();
        assertThat(ledger.ended("r", "s9", clock.instant()))
                .as("an observed end knows no session: it ends every session of the room issued until then").isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(ledger.ended("r", "s9", clock.instant())).as("but not one issued after it").isEmpty();
    }
}
