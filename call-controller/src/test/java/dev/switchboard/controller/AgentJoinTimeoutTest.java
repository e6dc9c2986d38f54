package dev.switchboard.controller;

import dev.switchboard.controller.FakeLiveKitResource.InjectFakeLiveKit;
import dev.switchboard.events.CallAnswered;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.Transport;
import dev.switchboard.events.WorkerHeartbeat;
import dev.switchboard.events.WorkerSession;
import dev.switchboard.events.WorkerState;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.switchboard.controller.CallControlRequests.dial;
import static dev.switchboard.controller.CallControlRequests.request;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.DELETE_ROOM;
import static org.assertj.core.api.Assertions.assertThat;

/** An answered dial whose agent never joins is hung up after the agent-join timeout, and reported ended; one whose agent joins is not. */
@QuarkusTest
@TestProfile(AgentJoinTimeoutTest.ShortAgentJoinTimeout.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(FakeLiveKitResource.class)
class AgentJoinTimeoutTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    public static class ShortAgentJoinTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.dial.agent-join-timeout", TIMEOUT.toSeconds() + "s");
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

    private CallControlRequest answeredDial(String room) {
        CallControlRequest request = request(room, dial("+15550901").build());
        TestProducer.send(Topic.CALL_CONTROL, room, request);
        SessionEvent answered = events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof CallAnswered, WAIT);
        assertThat(((CallAnswered) answered.getPayload()).getDialCommandId()).isEqualTo(request.getCommandId());
        return request;
    }

    @Test
    void anAnsweredCallNoAgentJoinsIsHungUpAndReportedEnded() {
        String room = CallControlRequests.room("agent-never-joins");
        answeredDial(room);

        SessionEvent event = events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof CallEnded, WAIT);
        assertThat(event.getPayload()).isInstanceOfSatisfying(CallEnded.class, ended -> {
            assertThat(ended.getReason()).isEqualTo(EndReason.ERROR);
            assertThat(ended.getMethod()).isEqualTo(HangupMethod.DELETE_ROOM);
            assertThat(ended.getDetail()).startsWith("no agent joined within 2s of the answer").contains("check that an agent worker is running");
        });
        assertThat(livekit.requests(DELETE_ROOM, room)).as("the call was hung up through LiveKit").hasSize(1);
    }

    @Test
    void anAnsweredCallWhoseAgentJoinsIsLeftAlone() {
        String room = CallControlRequests.room("agent-joins");
        answeredDial(room);
        String workerId = "worker-" + UUID.randomUUID();
        TestProducer.send(Topic.WORKER_HEARTBEATS, workerId, WorkerHeartbeat.newBuilder()
                .setWorkerId(workerId).setState(WorkerState.RUNNING).setSentAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setSource("agent-worker").setIntervalMs(3000).setAgentName("test-agent")
                .setSessions(List.of(WorkerSession.newBuilder().setRoom(room).setSessionId(UUID.randomUUID().toString())
                        .setTransport(Transport.LIVEKIT).setStartedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).setTenant("default").build()))
                .setDetail(null).build());

        List<SessionEvent> later = events.drain(TIMEOUT.plusSeconds(3));
        assertThat(later).filteredOn(e -> room.equals(e.getRoom()) && e.getPayload() instanceof CallEnded).isEmpty();
        assertThat(livekit.requests(DELETE_ROOM, room)).as("the room of a call its agent joined").isEmpty();
    }
}
