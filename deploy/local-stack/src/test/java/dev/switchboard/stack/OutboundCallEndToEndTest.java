package dev.switchboard.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testing.livekit.DialOutcome;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import dev.switchboard.testing.llm.FakeLlmControl;
import dev.switchboard.testing.sfu.FakeSfuControl;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An outbound phone call placed through the packaged services as ./switchboard up starts them: the gateway takes the
 * dial, the call controller carries it out with LiveKit's server API (here the fake, which speaks LiveKit's Twirp
 * and SIP messages and errors), and the outcome comes back over Kafka to the caller of the API. The first test is the
 * question Switchboard began with, on the packaged worker: the agent places a phone call, talks with the callee through
 * LiveKit's media engine, and hangs up once the LLM decides the job is done.
 */
@ExtendWith(PackagedStack.Resolver.class)
class OutboundCallEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static PackagedStack packaged;
    private static FakeLiveKitServer livekit;

    @BeforeAll
    static void useTheSharedStack(PackagedStack shared) {
        packaged = shared;
        livekit = shared.livekitApi;
    }

    /**
     * The seed's scenario end to end. The test plays LiveKit joining its two halves: what the call controller asked of
     * LiveKit's API (the fake records CreateSIPParticipant), the fake SFU carries out as LiveKit's SIP service would, by
     * putting the callee into the room with the participant attributes the controller set. The packaged worker has no
     * agent name, so LiveKit dispatches it automatically and it learns of the dial from the callee's attributes.
     */
    @Test
    void theAgentPlacesAPhoneCallTalksWithTheCalleeAndHangsUpWhenTheLlmIsDone() throws Exception {
        FakeSfuControl sfu = packaged.sfu.control();
        sfu.reset(); // the fake SFU holds one room at a time: this call's
        var llm = new FakeLlmControl(packaged.llm.baseUrl());
        llm.reset();
        // The callee speaks first (the default on outbound calls); the model answers and ends the call with its tool.
        llm.replyWithTool("Your delivery is booked for tomorrow morning. Goodbye!", "end_call", Map.of("reason", "delivery confirmed"));
        String room = "dial-voice-e2e-" + System.nanoTime();
        String callee = "+15550142777";
        String gateway = packaged.url("context-gateway");
        String transcripts = packaged.url("transcript-service");

        JsonPath answered = placeAndWait(Map.of("to", callee, "from", "+15550142000", "trunkId", FakeLiveKitServer.DEFAULT_OUTBOUND_TRUNK,
                "room", room, "instructions", "You are calling to book tomorrow's delivery."), UUID.randomUUID().toString())
                .then().statusCode(200).extract().jsonPath();
        assertThat(answered.getString("state")).isEqualTo("ANSWERED");
        assertThat(livekit.dispatches(room)).as("no agent name: LiveKit's automatic dispatch sends the agent").isEmpty();

        // LiveKit's SIP service puts the callee who answered into the room, as the controller asked.
        CreateSIPParticipantRequest dialled = livekit.requests(FakeLiveKitServer.CREATE_SIP_PARTICIPANT, room).getFirst()
                .body(CreateSIPParticipantRequest.class);
        Map<String, String> attributes = new LinkedHashMap<>(dialled.getParticipantAttributesMap());
        attributes.putAll(Map.of("sip.callID", "SCL_e2eOutbound", "sip.trunkID", dialled.getSipTrunkId(), "sip.phoneNumber", callee,
                "sip.trunkPhoneNumber", dialled.getSipNumber(), "sip.callStatus", "active"));
        var calleeJoined = sfu.joinParticipant(new FakeSfuControl.ParticipantSpec(dialled.getParticipantIdentity(), "Phone " + callee,
                "SIP", callee, attributes, null, null, FakeSfuControl.AudioSpec.silence()), room);
        await(() -> EndToEndTest.job(sfu, room).statuses().contains("JS_RUNNING"));
        await(() -> given().get(gateway + "/v1/sessions/" + room).statusCode() == 200);
        JsonPath session = given().get(gateway + "/v1/sessions/" + room).jsonPath();
        assertThat(session.getString("direction")).isEqualTo("OUTBOUND");
        assertThat(session.getString("calleeNumber")).isEqualTo(callee);
        assertThat(session.getString("callerNumber")).isEqualTo("+15550142000");

        // The callee says hello; the agent answers out loud and hangs up.
        sfu.play(calleeJoined.identity(), FakeSfuControl.AudioSpec.file(CallerSpeech.of(PackagedStack.CALLER_SAYS).toString(),
                CallerSpeech.SAMPLE_RATE, false));
        await(() -> !livekit.requests(FakeLiveKitServer.DELETE_ROOM, room).isEmpty());
        assertThat(livekit.requests(FakeLiveKitServer.DELETE_ROOM, room).getFirst().authorized()).isTrue();
        await(() -> "ENDED".equals(given().get(gateway + "/v1/sessions/" + room).jsonPath().getString("state")));
        assertThat(given().get(gateway + "/v1/sessions/" + room).jsonPath().getString("endReason")).isEqualTo("AGENT_HANGUP");
        await(() -> "ENDED".equals(given().get(gateway + "/v1/calls/" + room).jsonPath().getString("state")));
        await(() -> EndToEndTest.job(sfu, room).statuses().contains("JS_SUCCESS"));

        // The model knew it had placed the call, and to whom.
        List<JsonNode> prompt = llm.lastMessages();
        assertThat(prompt).anySatisfy(m -> assertThat(m.path("content").asText())
                .contains("it is an outbound phone call that you placed to " + callee));

        // The transcript is stored: the callee first, then the agent's goodbye, said in full before the hang-up.
        await(() -> EndToEndTest.finalLines(transcripts, room).size() >= 2);
        assertThat(EndToEndTest.finalLines(transcripts, room)).containsExactly("USER: " + PackagedStack.CALLER_SAYS,
                "AGENT: Your delivery is booked for tomorrow morning. Goodbye!");
        await(() -> "AGENT_HANGUP".equals(given().get(transcripts + "/v1/sessions/" + room).jsonPath().getString("endReason")));
        JsonPath stored = given().get(transcripts + "/v1/sessions/" + room).jsonPath();
        assertThat(stored.getString("direction")).isEqualTo("OUTBOUND");
        assertThat(packaged.log("agent-worker")).as("the worker's log").doesNotContain("the call failed");
    }

    @Test
    void anAnsweredDialIsReportedAndARetriedDialNeverRingsThePhoneTwice() {
        String room = "dial-e2e-" + System.nanoTime();
        String key = UUID.randomUUID().toString();
        Map<String, Object> dial = Map.of("to", "+15550142001", "from", "+15550142000",
                "trunkId", FakeLiveKitServer.DEFAULT_OUTBOUND_TRUNK, "room", room,
                "agentName", "delivery-agent", "instructions", "You are calling to confirm tomorrow's delivery.", "ringingTimeout", "20s");

        JsonPath answered = placeAndWait(dial, key).then().statusCode(200).extract().jsonPath();
        assertThat(answered.getString("state")).isEqualTo("ANSWERED");
        assertThat(answered.getString("room")).isEqualTo(room);
        assertThat(answered.getString("to")).isEqualTo("+15550142001");
        assertThat(answered.getString("failure")).isNull();

        // The agent was dispatched to the room first, with what it needs to know about the call.
        var dispatches = livekit.dispatches(room);
        assertThat(dispatches).hasSize(1);
        assertThat(dispatches.getFirst().getAgentName()).isEqualTo("delivery-agent");
        assertThat(dispatches.getFirst().getMetadata()).contains("You are calling to confirm tomorrow's delivery.", "+15550142001");

        // LiveKit was asked to dial exactly that number into that room, with a token holding the SIP grant.
        var dials = livekit.requests(FakeLiveKitServer.CREATE_SIP_PARTICIPANT, room);
        assertThat(dials).hasSize(1);
        assertThat(dials.getFirst().authorized()).as(dials.getFirst().authFailure()).isTrue();
        assertThat(dials.getFirst().sip()).containsEntry("call", true);
        CreateSIPParticipantRequest request = dials.getFirst().body(CreateSIPParticipantRequest.class);
        assertThat(request.getSipCallTo()).isEqualTo("+15550142001");
        assertThat(request.getSipNumber()).isEqualTo("+15550142000");
        assertThat(request.getSipTrunkId()).isEqualTo(FakeLiveKitServer.DEFAULT_OUTBOUND_TRUNK);
        assertThat(request.getWaitUntilAnswered()).as("the controller learns the outcome from LiveKit's answer").isTrue();
        assertThat(livekit.participants(room)).as("the callee is in the room").hasSize(1);

        // A client that lost the answer sends the dial again with the same key: same call, and the phone rings once.
        JsonPath again = placeAndWait(dial, key).then().statusCode(200).extract().jsonPath();
        assertThat(again.getString("commandId")).isEqualTo(answered.getString("commandId"));
        assertThat(again.getString("state")).isEqualTo("ANSWERED");
        assertThat(livekit.requests(FakeLiveKitServer.CREATE_SIP_PARTICIPANT, room)).hasSize(1);

        JsonPath status = given().get(packaged.url("context-gateway") + answered.getString("statusUrl"))
                .then().statusCode(200).extract().jsonPath();
        assertThat(status.getString("state")).isEqualTo("ANSWERED");
    }

    @Test
    void aBusyLineIsAFailedCallWithItsSipStatusAndItsRoomIsDeleted() {
        String room = "dial-busy-e2e-" + System.nanoTime();
        String number = "+15550142486";
        livekit.dialOutcome(number, DialOutcome.busy());

        JsonPath failed = placeAndWait(Map.of("to", number, "trunkId", FakeLiveKitServer.DEFAULT_OUTBOUND_TRUNK, "room", room),
                UUID.randomUUID().toString()).then().statusCode(200).extract().jsonPath();
        assertThat(failed.getString("state")).isEqualTo("FAILED");
        assertThat(failed.getString("failure.reason")).isEqualTo("BUSY");
        assertThat(failed.getInt("failure.sipStatusCode")).isEqualTo(486);
        assertThat(failed.getString("failure.sipStatus")).isEqualTo("Busy Here");

        // Nothing is left behind: the controller deletes the room the failed call was to take place in.
        Waits.until(WAIT, packaged.settings.logs().toString(),
                () -> !livekit.requests(FakeLiveKitServer.DELETE_ROOM, room).isEmpty());
        assertThat(livekit.requests(FakeLiveKitServer.CREATE_SIP_PARTICIPANT, room)).as("a busy line is never dialled again").hasSize(1);
        assertThat(given().get(packaged.url("context-gateway") + "/v1/calls/" + room).then().statusCode(200)
                .extract().jsonPath().getString("failure.reason")).isEqualTo("BUSY");
    }

    @Test
    void aNumberThatIsNotE164IsRefusedBeforeAnythingIsDialled() {
        String room = "dial-bad-e2e-" + System.nanoTime();
        Response refused = given().contentType(ContentType.JSON)
                .body(Map.of("to", "555-0142", "trunkId", FakeLiveKitServer.DEFAULT_OUTBOUND_TRUNK, "room", room))
                .post(packaged.url("context-gateway") + "/v1/calls");
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.asString()).contains("to");
        assertThat(livekit.requestsFor(room)).isEmpty();
    }

    private static void await(Supplier<Boolean> condition) {
        Waits.until(WAIT, packaged.settings.logs().toString(), condition);
    }

    private static Response placeAndWait(Map<String, Object> dial, String idempotencyKey) {
        Response response = given().contentType(ContentType.JSON).header("Idempotency-Key", idempotencyKey).body(dial)
                .post(packaged.url("context-gateway") + "/v1/calls?wait=20s");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return response;
    }
}
