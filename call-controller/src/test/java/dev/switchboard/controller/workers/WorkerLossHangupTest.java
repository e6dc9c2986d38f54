package dev.switchboard.controller.workers;

import dev.switchboard.controller.FakeLiveKitResource;
import dev.switchboard.controller.FakeLiveKitResource.InjectFakeLiveKit;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.Transport;
import dev.switchboard.events.WorkerHeartbeat;
import dev.switchboard.events.WorkerSession;
import dev.switchboard.events.WorkerState;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.serde.WorkerHeartbeatDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import livekit.LivekitModels.ParticipantInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.switchboard.testing.livekit.FakeLiveKitServer.DELETE_ROOM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Worker loss with the orphan-room policy {@code hangup}: the lost worker's LiveKit rooms are deleted, with a reason;
 * a session or room another worker still beating reports is not the lost worker's to end.
 */
@QuarkusTest
@TestProfile(WorkerLossHangupTest.HangUpOrphans.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(FakeLiveKitResource.class)
class WorkerLossHangupTest {

    public static class HangUpOrphans implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.worker-loss.orphan-rooms", "hangup");
        }
    }

    @InjectFakeLiveKit
    FakeLiveKitServer livekit;
    @Inject
    MeterRegistry metrics;

    private TopicProbe<SessionEvent> events;
    private TopicProbe<WorkerHeartbeat> heartbeats;

    @BeforeEach
    void openProbe() {
        livekit.reset();
        events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
        heartbeats = TopicProbe.fromNow(Topic.WORKER_HEARTBEATS, new WorkerHeartbeatDeserializer());
    }

    @AfterEach
    void closeProbe() {
        livekit.reset();
        events.close();
        heartbeats.close();
    }

    @Test
    void theLostWorkersRoomsAreHungUpOnceWithReasonWorkerLost() throws InterruptedException {
        var worker = new Heartbeats("hangup", Transport.LIVEKIT, 2);
        for (WorkerSession session : worker.sessions) {
            livekit.room(session.getRoom(), FakeLiveKitServer.sipParticipant("sip_+15550100", "+15550100"));
        }
        worker.beatFor(Duration.ofSeconds(1));

        for (WorkerSession session : worker.sessions) {
            String room = session.getRoom();
            var ended = (SessionEnded) events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof SessionEnded,
                    WorkerLossTest.LOST_AFTER.plusSeconds(10)).getPayload();
            assertThat(ended.getReason()).isEqualTo(EndReason.WORKER_LOST);
            SessionEvent callEnded = events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof CallEnded, Duration.ofSeconds(10));
            CallEnded call = (CallEnded) callEnded.getPayload();
            assertThat(call.getReason()).isEqualTo(EndReason.WORKER_LOST);
            assertThat(call.getMethod()).isEqualTo(HangupMethod.DELETE_ROOM);
            assertThat(call.getDetail()).contains(worker.workerId);
            assertThat(callEnded.getSessionId()).isEqualTo(session.getSessionId());
        }
        // The fake LiveKit API was called once per room, authorised, and the rooms are gone.
        for (WorkerSession session : worker.sessions) {
            assertThat(livekit.requestsFor(session.getRoom())).singleElement().satisfies(call -> {
                assertThat(call.method()).isEqualTo(DELETE_ROOM);
                assertThat(call.authorized()).isTrue();
            });
            assertThat(livekit.hasRoom(session.getRoom())).isFalse();
        }
    }

    @Test
    void aForgedHeartbeatClaimingALiveWorkersSessionAndRoomEndsNeitherButTheForgersOwnSessionEnds() throws Exception {
        var live = new Heartbeats("live", Transport.LIVEKIT, 2);
        var forger = new Heartbeats("forger", Transport.LIVEKIT, 1);
        WorkerSession stolen = live.sessions.get(0); // its room and its session id
        WorkerSession inRoom = live.sessions.get(1);
        WorkerSession squatted = WorkerSession.newBuilder().setRoom(inRoom.getRoom()).setSessionId(UUID.randomUUID().toString())
                .setTransport(inRoom.getTransport()).setStartedAt(inRoom.getStartedAt()).setTenant(inRoom.getTenant()).build();
        WorkerSession own = forger.sessions.getFirst();
        for (WorkerSession session : List.of(stolen, squatted, own)) {
            livekit.room(session.getRoom(), FakeLiveKitServer.sipParticipant("sip_+15550100", "+15550100"));
        }
        double ignoredBefore = count("switchboard.controller.sessions.worker.lost.ignored");

        try (var alive = live.beatMeanwhile()) {
            // One beat under a made-up worker id, listing the live worker's session and room, then silence.
            forger.send(WorkerState.RUNNING, List.of(own, stolen, squatted));

            // The forger is lost: its own session ends and its room is hung up, as before.
            events.await(e -> own.getSessionId().equals(e.getSessionId()) && e.getPayload() instanceof SessionEnded ended
                    && ended.getReason() == EndReason.WORKER_LOST, WorkerLossTest.LOST_AFTER.plusSeconds(10));
            events.await(e -> own.getRoom().equals(e.getRoom()) && e.getPayload() instanceof CallEnded, Duration.ofSeconds(10));
            WorkerHeartbeat verdict = heartbeats.await(b -> b.getWorkerId().equals(forger.workerId) && b.getState() == WorkerState.LOST,
                    Duration.ofSeconds(5));
            List<SessionEvent> seen = events.drain(Duration.ofSeconds(1));
            assertThat(seen).filteredOn(e -> stolen.getSessionId().equals(e.getSessionId()) || stolen.getRoom().equals(e.getRoom()))
                    .as("nothing of the live worker's session").isEmpty();
            // The made-up session in the live worker's room ends (it names its own id), but the room is not hung up.
            assertThat(verdict.getSessions()).extracting(WorkerSession::getSessionId)
                    .containsExactlyInAnyOrder(own.getSessionId(), squatted.getSessionId());
            assertThat(seen).filteredOn(e -> squatted.getRoom().equals(e.getRoom()))
                    .singleElement().satisfies(e -> assertThat(e.getSessionId()).isEqualTo(squatted.getSessionId()));
            for (String room : Set.of(stolen.getRoom(), squatted.getRoom())) {
                assertThat(livekit.requestsFor(room)).as("nothing asked of LiveKit in %s", room).isEmpty();
                assertThat(livekit.hasRoom(room)).isTrue();
            }
            assertThat(livekit.requestsFor(own.getRoom())).singleElement().satisfies(call -> assertThat(call.method()).isEqualTo(DELETE_ROOM));
            assertThat(count("switchboard.controller.sessions.worker.lost.ignored") - ignoredBefore).isEqualTo(1);
        }

        // The live worker dies in turn: its sessions are its own, and they end and are hung up like any lost worker's.
        for (WorkerSession session : live.sessions) {
            events.await(e -> session.getSessionId().equals(e.getSessionId()) && e.getPayload() instanceof SessionEnded ended
                    && ended.getReason() == EndReason.WORKER_LOST, WorkerLossTest.LOST_AFTER.plusSeconds(10));
            events.await(e -> session.getRoom().equals(e.getRoom()) && e.getPayload() instanceof CallEnded, Duration.ofSeconds(10));
            assertThat(livekit.requestsFor(session.getRoom())).singleElement().satisfies(call -> assertThat(call.method()).isEqualTo(DELETE_ROOM));
        }
    }

    private double count(String name) {
        Counter counter = metrics.find(name).counter();
        return counter == null ? 0 : counter.count();
    }
}
