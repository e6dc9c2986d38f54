package dev.switchboard.controller;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CallFailed;
import dev.switchboard.events.CallFailureReason;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.ControllerState;
import dev.switchboard.events.ControllerStatus;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.Transport;
import dev.switchboard.events.WorkerHeartbeat;
import dev.switchboard.events.WorkerSession;
import dev.switchboard.events.WorkerState;
import dev.switchboard.schemas.serde.CommandResultDeserializer;
import dev.switchboard.schemas.serde.ControllerStatusDeserializer;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.LogCapture;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.TopicProbe;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.controller.CallControlRequests.dial;
import static dev.switchboard.controller.CallControlRequests.hangup;
import static dev.switchboard.controller.CallControlRequests.request;
import static dev.switchboard.controller.CallControlRequests.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Without LIVEKIT_URL / LIVEKIT_API_KEY / LIVEKIT_API_SECRET: simulated calls still end, LiveKit calls cannot, and a
 * dial or a transfer is answered with what to set, never a silent success.
 */
@QuarkusTest
@TestProfile(WithoutLiveKitTest.NoLiveKit.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class WithoutLiveKitTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    public static class NoLiveKit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.livekit.url", "", "switchboard.livekit.api-key", "", "switchboard.livekit.api-secret", "");
        }
    }

    @Test
    void theControllerTellsTheGatewaysItCannotDialOrTransferAndWhatToSet() {
        String id = ConfigProvider.getConfig().getValue("switchboard.controller.id", String.class);
        try (var statuses = TopicProbe.fromNow(Topic.CONTROLLER_STATUS, new ControllerStatusDeserializer())) {
            ControllerStatus status = statuses.await(s -> s != null && id.equals(s.getControllerId()), WAIT);
            assertThat(status.getState()).isEqualTo(ControllerState.RUNNING);
            assertThat(status.getCanDial()).isFalse();
            assertThat(status.getCanTransfer()).isFalse();
            assertThat(status.getDetail()).isEqualTo(
                    "LiveKit is not configured on the call controller: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET");
        }
    }

    @Test
    void aSimulatedCallIsEndedWithNothingToCall() {
        String room = CallControlRequests.room("simulated");
        try (var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer())) {
            TestProducer.send(Topic.CALL_CONTROL, room, request(room, hangup(Transport.SIMULATED).build()));

            SessionEvent event = events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof CallEnded, WAIT);
            CallEnded ended = (CallEnded) event.getPayload();
            assertThat(ended.getMethod()).isEqualTo(HangupMethod.NOT_NEEDED);
            assertThat(ended.getEndedBy()).isEqualTo(CallControlRequests.LLM);
        }
    }

    @Test
    void aHangUpThatDoesNotNameTheTransportEndsACallTheWorkersReportSimulated() {
        // What the Java client sends (transport UNKNOWN) for a call a worker reports in its heartbeat as simulated.
        String room = CallControlRequests.room("unnamed-simulated");
        String worker = "worker-" + room;
        // The worker beats while the test runs, as a live one does: silence would get it declared lost.
        ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
        beats.scheduleAtFixedRate(() -> TestProducer.send(Topic.WORKER_HEARTBEATS, worker, WorkerHeartbeat.newBuilder().setWorkerId(worker)
                .setState(WorkerState.RUNNING).setSentAt(Instant.now()).setSource("agent-worker").setIntervalMs(3000)
                .setSessions(List.of(WorkerSession.newBuilder().setRoom(room).setSessionId("s-" + room).setTransport(Transport.SIMULATED)
                        .setStartedAt(Instant.now()).build()))
                .build()), 0, 1, TimeUnit.SECONDS);
        try (var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer())) {
            TestProducer.send(Topic.CALL_CONTROL, room, request(room, hangup(Transport.UNKNOWN).build()));

            SessionEvent event = events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof CallEnded, WAIT);
            assertThat(((CallEnded) event.getPayload()).getMethod()).isEqualTo(HangupMethod.NOT_NEEDED);
        } finally {
            beats.shutdownNow();
            TestProducer.send(Topic.WORKER_HEARTBEATS, worker, WorkerHeartbeat.newBuilder().setWorkerId(worker).setState(WorkerState.STOPPED)
                    .setSentAt(Instant.now()).setSource("agent-worker").setIntervalMs(3000).build());
        }
    }

    @Test
    void aLiveKitCallCannotBeHungUpAndIsAnsweredRejectedAndDeadLetteredWithTheReason() {
        String room = CallControlRequests.room("livekit-call");
        try (var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
             var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer());
             var deadLetters = TopicProbe.fromNow(Topic.CALL_CONTROL_DLQ, new ByteArrayDeserializer())) {
            CallControlRequest toLiveKitCall = request(room, hangup(Transport.LIVEKIT).build());
            TestProducer.send(Topic.CALL_CONTROL, room, toLiveKitCall);

            ConsumerRecord<String, byte[]> dead = deadLetters.awaitRecord(d -> room.equals(d.key()), WAIT);
            String reason = new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8);
            assertThat(reason).contains("LiveKit is not configured", "LIVEKIT_URL");
            CommandResult result = results.await(r -> toLiveKitCall.getCommandId().equals(r.getCommandId()), WAIT);
            assertThat(result.getStatus()).as("whoever waits on the results is told").isEqualTo(CommandStatus.REJECTED);
            assertThat(result.getReason()).contains("LiveKit is not configured", "LIVEKIT_URL");
            assertThat(events.drain(Duration.ofMillis(300))).noneMatch(e -> room.equals(e.getRoom()));
        }
    }

    @Test
    void aHangUpForARoomWhereNoWorkerReportsACallIsAnsweredNoCallAndNotDeadLettered() {
        // What a system that knows only the room sends (transport UNKNOWN) for a room nobody runs: its mistake, not poison.
        String room = CallControlRequests.room("no-call");
        try (var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
             var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer());
             var deadLetters = TopicProbe.fromNow(Topic.CALL_CONTROL_DLQ, new ByteArrayDeserializer())) {
            CallControlRequest toNobody = request(room, hangup(Transport.UNKNOWN).build());
            TestProducer.send(Topic.CALL_CONTROL, room, toNobody);

            CommandResult result = results.await(r -> toNobody.getCommandId().equals(r.getCommandId()), WAIT);
            assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
            assertThat(result.getReason()).contains("no call in room " + room, "no agent worker reports a session there",
                    "LiveKit is not configured");
            assertThat(deadLetters.drainRecords(Duration.ofMillis(500))).noneMatch(d -> room.equals(d.key()));
            assertThat(events.drain(Duration.ofMillis(300))).noneMatch(e -> room.equals(e.getRoom()));
        }
    }

    @Test
    void aHangUpThatNamedNoSessionDoesNotKeepTheRoomsNextCallFromBeingHungUp() {
        // A system's room-only hang-up ends the first call; the room's next call must still end when asked to.
        String room = CallControlRequests.room("reused");
        try (var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer())) {
            // A room-only hang-up, the next call's, then a room-only one again: each issued after the call before ended.
            for (String sessionId : Arrays.asList(null, "s-next", null)) {
                CallControlRequest issued = request(room, hangup(Transport.SIMULATED).setSessionId(sessionId).build());
                TestProducer.send(Topic.CALL_CONTROL, room, issued);
                SessionEvent ended = events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof CallEnded c
                        && issued.getCommandId().equals(c.getHangupCommandId()), WAIT);
                assertThat(((CallEnded) ended.getPayload()).getMethod()).isEqualTo(HangupMethod.NOT_NEEDED);
            }
        }
    }

    @Test
    void aDialIsAnsweredWithCallFailedSayingWhatToSet() {
        String room = CallControlRequests.room("dial-without-livekit");
        try (var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer())) {
            CallControlRequest request = request(room, dial("+15550700").build());
            TestProducer.send(Topic.CALL_CONTROL, room, request);

            CallFailed failed = (CallFailed) events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof CallFailed, WAIT).getPayload();
            assertThat(failed.getReason()).isEqualTo(CallFailureReason.FAILED);
            assertThat(failed.getDetail()).contains("LiveKit is not configured", "LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET");
            assertThat(failed.getDialCommandId()).isEqualTo(request.getCommandId());
        }
    }

    @Test
    void aTransferIsRejectedSayingWhatToSet() {
        String room = CallControlRequests.room("transfer-without-livekit");
        try (var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer())) {
            CallControlRequest request = request(room, transfer("tel:+15550701").build());
            TestProducer.send(Topic.CALL_CONTROL, room, request);

            CommandResult result = results.await(r -> request.getCommandId().equals(r.getCommandId()), WAIT);
            assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
            assertThat(result.getReason()).contains("LiveKit is not configured", "LIVEKIT_URL");
        }
    }

    @Test
    void webhooksAreRefusedWith503WithoutALogLinePerRequest() {
        try (LogCapture log = LogCapture.start()) {
            for (int i = 0; i < 3; i++) {
                RestAssured.given().contentType("application/webhook+json").header("Authorization", "anything").body("{}")
                        .post("/livekit/webhook")
                        .then().statusCode(503)
                        .contentType("application/problem+json")
                        .body("detail", containsString("LIVEKIT_API_SECRET"));
            }
            // Said once at start: anyone can send these, and a line each would let them fill the log.
            assertThat(log.atLeast(LogCapture.WARN)).as(LogCapture.describe(log.all())).isEmpty();
        }
    }

    @Test
    void readinessSaysLiveKitIsNotConfiguredWithoutGoingDown() {
        // Ready once its Kafka consumers are connected, which a loaded machine may not have done when this test starts.
        Awaitility.await("ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> RestAssured.get("/q/health/ready").statusCode() == 200);
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'LiveKit server API' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'LiveKit server API' }.data.configured", equalTo(false))
                .body("checks.name", hasItem("Kafka connection health check"));
    }
}
