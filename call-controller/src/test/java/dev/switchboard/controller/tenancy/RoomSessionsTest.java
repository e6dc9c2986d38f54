package dev.switchboard.controller.tenancy;

import dev.switchboard.events.Transport;
import dev.switchboard.events.WorkerHeartbeat;
import dev.switchboard.events.WorkerSession;
import dev.switchboard.events.WorkerState;
import dev.switchboard.testing.MovableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RoomSessionsTest {
    private final MovableClock clock = new MovableClock();
    private final RoomSessions sessions = new RoomSessions(clock);

    static WorkerSession session(String room, String tenant) {
        return WorkerSession.newBuilder().setRoom(room).setSessionId("s-" + room + "-" + tenant).setTransport(Transport.LIVEKIT)
                .setStartedAt(Instant.EPOCH).setTenant(tenant).build();
    }

    static WorkerHeartbeat beat(String worker, WorkerState state, WorkerSession... held) {
        return WorkerHeartbeat.newBuilder().setWorkerId(worker).setState(state).setSentAt(Instant.EPOCH).setSource("agent-worker")
                .setIntervalMs(3000).setSessions(List.of(held)).build();
    }

    @Test
    void aWorkersLatestBeatReplacesWhatItReportedBefore() {
        sessions.heard(beat("w1", WorkerState.RUNNING, session("r1", "acme"), session("r2", "acme")));
        sessions.heard(beat("w1", WorkerState.RUNNING, session("r2", "acme")));

        assertThat(sessions.in("r1")).isEmpty();
        assertThat(sessions.in("r2")).singleElement()
                .isEqualTo(new ReportedSession("w1", "r2", "s-r2-acme", "acme", Transport.LIVEKIT));
    }

    @Test
    void aDrainingWorkerStillRunsItsSessions() {
        sessions.heard(beat("w1", WorkerState.DRAINING, session("r1", "acme")));

        assertThat(sessions.in("r1")).extracting(ReportedSession::tenant).containsExactly("acme");
    }

    @Test
    void aStoppedALostAndADeletedWorkerRunNothing() {
        sessions.heard(beat("w1", WorkerState.RUNNING, session("r1", "acme")));
        sessions.heard(beat("w2", WorkerState.RUNNING, session("r2", "acme")));
        sessions.heard(beat("w3", WorkerState.RUNNING, session("r3", "acme")));

        sessions.heard(beat("w1", WorkerState.STOPPED));
        sessions.heard(beat("w2", WorkerState.LOST, session("r2", "acme"))); // a verdict lists the sessions it ended
        sessions.deleted("w3");

        assertThat(sessions.in("r1")).isEmpty();
        assertThat(sessions.in("r2")).isEmpty();
        assertThat(sessions.in("r3")).isEmpty();
    }

    @Test
    void aRoomTwoWorkersReportHasBothSessions() {
        sessions.heard(beat("w1", WorkerState.RUNNING, session("r1", "acme")));
        sessions.heard(beat("w2", WorkerState.RUNNING, session("r1", "globex")));

        assertThat(sessions.in("r1")).extracting(ReportedSession::tenant).containsExactlyInAnyOrder("acme", "globex");
    }

    @Test
    void stillBeatingAreTheWorkersReadWithinTheWindowAndNotStoppedOrLost() {
        sessions.heard(beat("w-silent", WorkerState.RUNNING, session("r1", "acme")));
        clock.advance(Duration.ofSeconds(11));
        sessions.heard(beat("w-beating", WorkerState.RUNNING, session("r2", "acme")));
        sessions.heard(beat("w-draining", WorkerState.DRAINING, session("r3", "acme")));
        sessions.heard(beat("w-lost", WorkerState.RUNNING, session("r4", "acme")));
        sessions.heard(beat("w-lost", WorkerState.LOST, session("r4", "acme")));
        clock.advance(Duration.ofSeconds(9));

        assertThat(sessions.beatingWithin(Duration.ofSeconds(10))).extracting(ReportedSession::workerId)
                .containsExactlyInAnyOrder("w-beating", "w-draining");
        assertThat(sessions.in("r1")).as("silent, not yet declared lost: still runs its session").hasSize(1);
    }
}
