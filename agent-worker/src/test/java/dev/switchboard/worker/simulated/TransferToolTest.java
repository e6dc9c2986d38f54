package dev.switchboard.worker.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SpeakerRole;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.events.TransferRequested;
import dev.switchboard.schemas.serde.CallControlRequestDeserializer;
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
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The model's {@code transfer_call} tool on the real broker, with destinations configured the way an operator
 * configures them: the model names a destination and the caller is transferred to its number; a destination that is
 * not configured, or a number of the model's own, is refused and the model told where it may transfer.
 * (Without destinations the tool is not offered: {@link TransferToolNotOfferedTest}.)
 */
@QuarkusTest
@TestProfile(TransferToolTest.SalesAndSupport.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLlmResource.class, scope = TestResourceScope.GLOBAL)
class TransferToolTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SALES = "tel:+15550001111";

    public static class SalesAndSupport implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.transfer.destinations.sales", SALES,
                    "switchboard.transfer.destinations.support", "sip:support@pbx.example.com");
        }
    }

    private FakeLlmControl llm;

    @BeforeEach
    void resetLlm() {
        llm = new FakeLlmControl(ConfigProvider.getConfig().getValue("switchboard.llm.base-url", String.class));
        llm.reset();
    }

    /** Starts a simulated phone call (a caller number: a phone line) and returns its room. */
    static String startPhoneCall(String prefix) {
        String room = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(Map.of("room", room, "callerNumber", "+15550100", "instructions", "You are a test agent."))
                .post("/v1/simulated-calls").then().statusCode(201);
        return room;
    }

    private static io.restassured.response.ValidatableResponse callerSays(String room, String text) {
        return given().contentType(ContentType.JSON).body(Map.of("text", text)).post("/v1/simulated-calls/{room}/utterances", room)
                .then().statusCode(200);
    }

    /** What the tools told the model in the latest request, in order. */
    private List<String> toolResults() {
        return llm.lastMessages().stream().filter(m -> m.path("role").asText().equals("tool")).map(m -> m.path("content").asText()).toList();
    }

    @Test
    void theModelTransfersTheCallerToAConfiguredDestinationByItsName() {
        String room = startPhoneCall("transfer-tool");
        try (var callControl = TopicProbe.fromNow(Topic.CALL_CONTROL, new CallControlRequestDeserializer());
             var transcripts = TopicProbe.fromNow(Topic.TRANSCRIPTS, new TranscriptSegmentDeserializer());
             var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer())) {
            llm.replyWithTool("", "transfer_call", Map.of("destination", "sales", "announcement", "Connecting you to sales now."))
                    .replyText(""); // told the transfer is under way, the model says nothing more
            callerSays(room, "I would like to buy a new plan.");

            // The model is offered the destinations by name, never their numbers.
            JsonNode tool = tool(llm.requests().getFirst(), "transfer_call");
            assertThat(tool.path("function").path("parameters").path("properties").path("destination").path("enum"))
                    .extracting(JsonNode::asText).containsExactly("sales", "support");
            assertThat(tool.toString()).doesNotContain("+15550001111").doesNotContain("pbx.example.com");

            // The announcement is heard, then the call controller is asked to transfer to the destination's number.
            ConsumerRecord<String, TranscriptSegment> said = transcripts.awaitRecord(r -> room.equals(r.value().getRoom())
                    && r.value().getRole() == SpeakerRole.AGENT, WAIT);
            assertThat(said.value().getText()).isEqualTo("Connecting you to sales now.");
            ConsumerRecord<String, CallControlRequest> asked = callControl.awaitRecord(r -> room.equals(r.key()), WAIT);
            CallControlRequest request = asked.value();
            assertThat(request.getPayload()).isInstanceOfSatisfying(TransferRequested.class, t -> {
                assertThat(t.getTransferTo()).isEqualTo(SALES);
                assertThat(t.getSessionId()).isNotNull();
            });
            assertThat(request.getIssuer().getKind()).as("the model asked for it").isEqualTo(IssuerKind.LLM);
            assertThat(said.timestamp()).as("announced before the transfer was asked for").isLessThanOrEqualTo(asked.timestamp());
            assertThat(toolResults()).containsExactly("The transfer to sales has been requested. Do not say anything else.");

            // The controller transferred the caller: its CallEnded ends the agent's session.
            TestProducer.send(Topic.SESSION_EVENTS, room, SessionEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setRoom(room)
                    .setSessionId(((TransferRequested) request.getPayload()).getSessionId()).setOccurredAt(Instant.now()).setSource("call-controller")
                    .setPayload(CallEnded.newBuilder().setReason(EndReason.TRANSFERRED).setMethod(HangupMethod.REMOVE_SIP_PARTICIPANT)
                            .setHangupCommandId(request.getCommandId()).build()).build());
            var ended = events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof SessionEnded, WAIT);
            assertThat(((SessionEnded) ended.getPayload()).getReason()).isEqualTo(EndReason.TRANSFERRED);
        }
    }

    @Test
    void aWebCallersModelIsOfferedNeitherTransfersNorKeypadTones() {
        String room = "transfer-web-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(Map.of("room", room, "instructions", "You are a test agent."))
                .post("/v1/simulated-calls").then().statusCode(201);
        llm.replyText("How can I help?");
        callerSays(room, "Hello there.");

        List<String> offered = StreamSupport.stream(llm.requests().getFirst().path("tools").spliterator(), false)
                .map(t -> t.path("function").path("name").asText()).toList();
        assertThat(offered).as("a web caller has no phone line to transfer or to press keys on")
                .contains("end_call").doesNotContain("transfer_call", "send_dtmf");
    }

    @Test
    void aDestinationThatIsNotConfiguredIsRefusedAndTheModelToldWhereItMayTransfer() {
        String room = startPhoneCall("transfer-tool");
        try (var callControl = TopicProbe.fromNow(Topic.CALL_CONTROL, new CallControlRequestDeserializer())) {
            llm.replyWithTool("", "transfer_call", Map.of("destination", "ceo", "announcement", "Connecting you to our CEO."))
                    .replyText("I can only transfer you to sales or support.");
            callerSays(room, "Put me through to your CEO.").body("replies", equalTo(List.of("I can only transfer you to sales or support.")));
            assertThat(toolResults()).containsExactly("There is no destination named ceo. You may transfer to: sales, support.");

            // Nor to a number of the model's own, however the caller asks.
            llm.replyWithTool("", "transfer_call", Map.of("destination", "tel:+19005550000")).replyText("I cannot dial numbers myself.");
            callerSays(room, "Then transfer me to +1 900 555 0000.").body("replies", equalTo(List.of("I cannot dial numbers myself.")));
            assertThat(toolResults()).last().isEqualTo("There is no destination named tel:+19005550000. You may transfer to: sales, support.");
            given().get("/v1/simulated-calls/{room}", room).then().body("state", equalTo("ACTIVE"))
                    .body("agentSaid.text", equalTo(List.of("I can only transfer you to sales or support.", "I cannot dial numbers myself.")));

            // A transfer asked for is on the broker before the tool answers: the first request the call controller
            // gets for this room is the one to a configured destination, made last.
            llm.replyWithTool("", "transfer_call", Map.of("destination", "support")).replyText("");
            callerSays(room, "Support then.");
            CallControlRequest first = callControl.await(r -> room.equals(r.getRoom()), WAIT);
            assertThat(first.getPayload()).isInstanceOfSatisfying(TransferRequested.class,
                    t -> assertThat(t.getTransferTo()).isEqualTo("sip:support@pbx.example.com"));
        }
    }

    /** The tool of this name offered in a chat-completions request. */
    static JsonNode tool(JsonNode request, String name) {
        for (JsonNode tool : request.path("tools")) {
            if (name.equals(tool.path("function").path("name").asText())) {
                return tool;
            }
        }
        throw new AssertionError("no tool " + name + " offered in " + request.path("tools"));
    }
}
