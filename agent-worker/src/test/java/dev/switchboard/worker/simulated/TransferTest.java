package dev.switchboard.worker.simulated;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SpeakerRole;
import dev.switchboard.events.TransferCall;
import dev.switchboard.events.TransferRequested;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.schemas.serde.CallControlRequestDeserializer;
import dev.switchboard.schemas.serde.CommandResultDeserializer;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.serde.TranscriptSegmentDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.llm.FakeLlmControl;
import dev.switchboard.testing.llm.FakeLlmResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** A cold transfer on the real broker: the agent announces it, then the call controller answers it. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLlmResource.class, scope = TestResourceScope.GLOBAL)
class TransferTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final Commands supervisor = new Commands(new Issuer(IssuerKind.OPERATOR, "supervisor-7", null, null));

    private static String startPhoneCall() {
        String room = "transfer-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(Map.of("room", room, "callerNumber", "+15550100")).post("/v1/simulated-calls")
                .then().statusCode(201);
        return room;
    }

    private SessionCommand transfer(String room, String to, String announcement) {
        return supervisor.session(room, TransferCall.newBuilder().setTo(to).setAnnouncement(announcement).build());
    }

    @Test
    void theAgentAnnouncesTheTransferAndTheCallControllerAnswersIt() {
        String room = startPhoneCall();
        try (var callControl = TopicProbe.fromNow(Topic.CALL_CONTROL, new CallControlRequestDeserializer());
             var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer());
             var transcripts = TopicProbe.fromNow(Topic.TRANSCRIPTS, new TranscriptSegmentDeserializer());
             var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer())) {
            SessionCommand command = transfer(room, "tel:+15550199", "Connecting you to billing now.");
            TestProducer.send(OwnCommandTopic.name(), room, command);

            // The announcement is heard first, then the controller is asked, under the command's own id.
            var said = transcripts.await(s -> room.equals(s.getRoom()) && s.getRole() == SpeakerRole.AGENT, WAIT);
            assertThat(said.getText()).isEqualTo("Connecting you to billing now.");
            CallControlRequest request = callControl.awaitRecord(r -> room.equals(r.key()), WAIT).value();
            assertThat(request.getCommandId()).isEqualTo(command.getCommandId());
            assertThat(request.getIssuer().getId()).isEqualTo("supervisor-7");
            assertThat(request.getPayload()).isInstanceOfSatisfying(TransferRequested.class, t -> {
                assertThat(t.getTransferTo()).isEqualTo("tel:+15550199");
                assertThat(t.getSessionId()).isNotNull();
            });
            assertThat(results.drain(Duration.ofSeconds(1))).as("the controller answers a transfer, not the worker")
                    .noneMatch(r -> r.getCommandId().equals(command.getCommandId()));

            // The controller transferred the caller: its CallEnded ends the agent's session.
            TestProducer.send(Topic.SESSION_EVENTS, room, SessionEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setRoom(room)
                    .setSessionId(((TransferRequested) request.getPayload()).getSessionId()).setOccurredAt(Instant.now()).setSource("call-controller")
                    .setPayload(CallEnded.newBuilder().setReason(EndReason.TRANSFERRED).setMethod(HangupMethod.REMOVE_SIP_PARTICIPANT)
                            .setHangupCommandId(command.getCommandId()).build()).build());
            var ended = events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof SessionEnded, WAIT);
            assertThat(((SessionEnded) ended.getPayload()).getReason()).isEqualTo(EndReason.TRANSFERRED);
        }
    }

    @Test
    void aTransferTheTargetRefusedIsToldToTheModelWhichCarriesOnWithTheCaller() {
        String room = startPhoneCall();
        var llm = new FakeLlmControl(ConfigProvider.getConfig().getValue("switchboard.llm.base-url", String.class));
        llm.reset();
        try (var callControl = TopicProbe.fromNow(Topic.CALL_CONTROL, new CallControlRequestDeserializer());
             var transcripts = TopicProbe.fromNow(Topic.TRANSCRIPTS, new TranscriptSegmentDeserializer());
             var deadLetters = TopicProbe.fromNow(Topic.COMMAND_RESULTS_DLQ, new ByteArrayDeserializer())) {
            SessionCommand command = transfer(room, "tel:+15550199", "Connecting you to billing now.");
            TestProducer.send(OwnCommandTopic.name(), room, command);
            callControl.awaitRecord(r -> room.equals(r.key()), WAIT);

            // While the worker waits for the answer it reads the room's results: poison among them is dead-lettered.
            byte[] poison = "not a command result".getBytes(StandardCharsets.UTF_8);
            TestProducer.sendRaw(Topic.COMMAND_RESULTS, room, poison);
            var dead = deadLetters.awaitRecord(r -> room.equals(r.key()), WAIT);
            assertThat(dead.value()).isEqualTo(poison);
            assertThat(new String(dead.headers().lastHeader("dead-letter-service").value(), StandardCharsets.UTF_8)).isEqualTo("agent-worker");
            assertThat(new String(dead.headers().lastHeader("dead-letter-consumer-group").value(), StandardCharsets.UTF_8))
                    .isEqualTo("agent-worker-transfer-answers");
            assertThat(new String(dead.headers().lastHeader("dead-letter-kind").value(), StandardCharsets.UTF_8)).isEqualTo("undecodable");

            // Billing is busy: the controller answers the transfer REJECTED, and the agent takes the caller back.
            llm.replyText("Sorry, billing is busy right now. Can I help you myself?");
            TestProducer.send(Topic.COMMAND_RESULTS, room, CommandResult.newBuilder().setCommandId(command.getCommandId()).setRoom(room)
                    .setCommandType("TransferRequested").setStatus(CommandStatus.REJECTED).setReason("the target is busy (SIP 486 Busy Here)")
                    .setDecidedAt(Instant.now()).build());

            var failed = transcripts.await(s -> room.equals(s.getRoom()) && s.getRole() == SpeakerRole.SYSTEM, WAIT);
            assertThat(failed.getText()).isEqualTo("transfer failed: the target is busy (SIP 486 Busy Here)");
            var answer = transcripts.await(s -> room.equals(s.getRoom()) && s.getRole() == SpeakerRole.AGENT
                    && s.getText().startsWith("Sorry, billing"), WAIT);
            assertThat(answer.getText()).isEqualTo("Sorry, billing is busy right now. Can I help you myself?");
            assertThat(llm.lastMessages()).anySatisfy(m -> {
                assertThat(m.path("role").asText()).isEqualTo("system");
                assertThat(m.path("content").asText()).contains("did not go through").contains("SIP 486");
            });
        }
        given().get("/v1/simulated-calls/{room}", room).then().body("state", equalTo("ACTIVE"));
    }

    @Test
    void aWebCallerIsNotTransferredAndHearsNoAnnouncement() {
        String room = "transfer-web-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(Map.of("room", room)).post("/v1/simulated-calls").then().statusCode(201);
        try (var callControl = TopicProbe.fromNow(Topic.CALL_CONTROL, new CallControlRequestDeserializer());
             var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer());
             var transcripts = TopicProbe.fromNow(Topic.TRANSCRIPTS, new TranscriptSegmentDeserializer())) {
            SessionCommand command = transfer(room, "tel:+15550199", "Connecting you to billing now.");
            TestProducer.send(OwnCommandTopic.name(), room, command);

            CommandResult result = results.await(r -> r.getCommandId().equals(command.getCommandId()), WAIT);
            assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
            assertThat(result.getReason()).contains("not on a phone line");
            assertThat(transcripts.drain(Duration.ofMillis(500))).as("nothing announced")
                    .noneMatch(s -> room.equals(s.getRoom()) && s.getRole() == SpeakerRole.AGENT && s.getText().contains("billing"));
            assertThat(callControl.drainRecords(Duration.ofMillis(200))).noneMatch(r -> room.equals(r.key()));
        }
    }

    @Test
    void aTransferToSomethingThatIsNoNumberIsRejectedByTheAgent() {
        String room = startPhoneCall();
        try (var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer())) {
            SessionCommand command = transfer(room, "billing", null);
            TestProducer.send(OwnCommandTopic.name(), room, command);

            CommandResult result = results.await(r -> r.getCommandId().equals(command.getCommandId()), WAIT);
            assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
            assertThat(result.getReason()).contains("tel:").contains("sip:");
        }
    }
}
