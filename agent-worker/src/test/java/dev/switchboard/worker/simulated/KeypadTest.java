package dev.switchboard.worker.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.DtmfReceived;
import dev.switchboard.events.DtmfSent;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SendDtmf;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.SpeakerRole;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.schemas.client.Commands;
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
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Keypad tones (DTMF) both ways on simulated phone calls: the caller's key presses reach the model, the agent's tones the line. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLlmResource.class, scope = TestResourceScope.GLOBAL)
class KeypadTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final Commands crm = new Commands(new Issuer(IssuerKind.SYSTEM, "crm", null, null));
    private FakeLlmControl llm;

    @BeforeEach
    void resetLlm() {
        llm = new FakeLlmControl(ConfigProvider.getConfig().getValue("switchboard.llm.base-url", String.class));
        llm.reset();
    }

    private static String startCall(String callerNumber) {
        String room = "keys-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new HashMap<>(Map.of("room", room, "instructions", "You are a test agent."));
        if (callerNumber != null) {
            body.put("callerNumber", callerNumber);
        }
        given().contentType(ContentType.JSON).body(body).post("/v1/simulated-calls").then().statusCode(201);
        return room;
    }

    private static io.restassured.response.ValidatableResponse press(String room, String digits) {
        return given().contentType(ContentType.JSON).body(Map.of("digits", digits)).post("/v1/simulated-calls/{room}/dtmf", room).then();
    }

    @Test
    void theCallersKeysEndedByHashAreTranscribedAnnouncedAndAnsweredByTheModel() {
        String room = startCall("+15550100");
        try (var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
             var transcripts = TopicProbe.fromNow(Topic.TRANSCRIPTS, new TranscriptSegmentDeserializer())) {
            llm.replyText("You chose option 1 2 3.");
            press(room, "12").statusCode(202);
            press(room, "3#").statusCode(202).body("pressed", equalTo("3#"));

            var received = events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof DtmfReceived, WAIT);
            assertThat(((DtmfReceived) received.getPayload()).getDigits()).isEqualTo("123#");
            assertThat(((DtmfReceived) received.getPayload()).getParticipantIdentity()).isEqualTo("sip_+15550100");
            TranscriptSegment line = transcripts.await(s -> room.equals(s.getRoom()) && s.getRole() == SpeakerRole.SYSTEM, WAIT);
            assertThat(line.getText()).isEqualTo("caller pressed 1 2 3 #");
            TranscriptSegment answer = transcripts.await(s -> room.equals(s.getRoom()) && s.getRole() == SpeakerRole.AGENT, WAIT);
            assertThat(answer.getText()).isEqualTo("You chose option 1 2 3.");
            assertThat(llm.lastMessages()).anySatisfy(m -> {
                assertThat(m.path("role").asText()).isEqualTo("user");
                assertThat(m.path("content").asText()).contains("keypad").contains("1 2 3 #");
            });
        }
    }

    @Test
    void keysWithoutHashBecomeOneEntryOnceTheCallerPauses() {
        String room = startCall("+15550101");
        try (var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer())) {
            llm.replyText("Got it.");
            press(room, "4").statusCode(202);
            press(room, "5*").statusCode(202);
            var received = events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof DtmfReceived, WAIT);
            assertThat(((DtmfReceived) received.getPayload()).getDigits()).isEqualTo("45*");
            assertThat(events.drain(Duration.ofMillis(800))).as("one entry, not one per key")
                    .filteredOn(e -> room.equals(e.getRoom()) && e.getPayload() instanceof DtmfReceived).hasSize(1);
        }
    }

    @Test
    void aSendDtmfCommandSendsEachToneRecordsItAndIsApplied() {
        String room = startCall("+15550102");
        try (var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer());
             var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
             var transcripts = TopicProbe.fromNow(Topic.TRANSCRIPTS, new TranscriptSegmentDeserializer())) {
            SessionCommand send = crm.session(room, SendDtmf.newBuilder().setDigits("1w2#").build());
            TestProducer.send(OwnCommandTopic.name(), room, send);

            CommandResult result = results.await(r -> r.getCommandId().equals(send.getCommandId()), WAIT);
            assertThat(result.getStatus()).as(String.valueOf(result.getReason())).isEqualTo(CommandStatus.APPLIED);
            given().get("/v1/simulated-calls/{room}", room).then().statusCode(200).body("tonesSent", equalTo("12#"));
            var sent = events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof DtmfSent, WAIT);
            assertThat(((DtmfSent) sent.getPayload()).getDigits()).isEqualTo("1w2#");
            assertThat(((DtmfSent) sent.getPayload()).getCommandId()).isEqualTo(send.getCommandId());
            TranscriptSegment line = transcripts.await(s -> room.equals(s.getRoom()) && s.getRole() == SpeakerRole.SYSTEM, WAIT);
            assertThat(line.getText()).isEqualTo("agent sent keypad tones 1 2 #");
        }
    }

    @Test
    void tonesAreRejectedWithoutAPhoneLineOrForKeysThatAreNoTones() {
        String web = startCall(null);
        String phone = startCall("+15550103");
        try (var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer())) {
            SessionCommand toWeb = crm.session(web, SendDtmf.newBuilder().setDigits("1").build());
            SessionCommand bad = crm.session(phone, SendDtmf.newBuilder().setDigits("12x").build());
            SessionCommand pausesOnly = crm.session(phone, SendDtmf.newBuilder().setDigits("w W").build());
            TestProducer.send(OwnCommandTopic.name(), web, toWeb);
            TestProducer.send(OwnCommandTopic.name(), phone, bad);
            TestProducer.send(OwnCommandTopic.name(), phone, pausesOnly);

            CommandResult webResult = results.await(r -> r.getCommandId().equals(toWeb.getCommandId()), WAIT);
            assertThat(webResult.getStatus()).isEqualTo(CommandStatus.REJECTED);
            assertThat(webResult.getReason()).contains("not on a phone line");
            CommandResult badResult = results.await(r -> r.getCommandId().equals(bad.getCommandId()), WAIT);
            assertThat(badResult.getStatus()).isEqualTo(CommandStatus.REJECTED);
            assertThat(badResult.getReason()).contains("0-9, *, #, A-D");
            CommandResult pausesResult = results.await(r -> r.getCommandId().equals(pausesOnly.getCommandId()), WAIT);
            assertThat(pausesResult.getStatus()).isEqualTo(CommandStatus.REJECTED);
            assertThat(pausesResult.getReason()).isEqualTo("digits must press at least one key; w only pauses");
        }
        given().get("/v1/simulated-calls/{room}", phone).then().body("tonesSent", equalTo(""));
        press(web, "1").statusCode(409).body("detail", containsString("not on a phone line"))
                .body("type", equalTo("urn:switchboard:problem:no-keypad"));
        press(phone, "12x").statusCode(400).body("detail", containsString("digits"));
    }

    @Test
    void theModelWalksAnIvrMenuWithTheSendDtmfTool() {
        String room = startCall("+15550104");
        llm.replyWithTool("", "send_dtmf", Map.of("digits", "2")).replyText("I selected billing.");
        given().contentType(ContentType.JSON).body(Map.of("text", "For billing press 2."))
                .post("/v1/simulated-calls/{room}/utterances", room).then().statusCode(200)
                .body("replies[0]", equalTo("I selected billing."));

        given().get("/v1/simulated-calls/{room}", room).then().body("tonesSent", equalTo("2"));
        List<JsonNode> messages = llm.lastMessages();
        assertThat(messages).anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("tool");
            assertThat(m.path("content").asText()).isEqualTo("Sent the keypad tones 2.");
        });
        assertThat(llm.requests().getFirst().path("tools").toString()).contains("send_dtmf");
    }
}
