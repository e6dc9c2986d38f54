package dev.switchboard.controller.workers;

import dev.switchboard.controller.FakeLiveKitResource;
import dev.switchboard.controller.FakeLiveKitResource.InjectFakeLiveKit;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.Transport;
import dev.switchboard.events.WorkerSession;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import livekit.LivekitModels.ParticipantInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.switchboard.testing.livekit.FakeLiveKitServer.DELETE_ROOM;
import static org.assertj.core.api.Assertions.assertThat;

/** Worker loss with the orphan-room policy {@code hangup}: the lost worker's LiveKit rooms are deleted, with a reason. */
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

    private TopicProbe<SessionEvent> events;

    @BeforeEach
    void openProbe() {
        livekit.reset();
        events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
    }

    @AfterEach
    void closeProbe() {
        livekit.reset();
        events.close();
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
}
