package dev.switchboard.stack;

import dev.switchboard.testing.livekit.DialOutcome;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An outbound phone call placed through the packaged services as ./switchboard up starts them: the gateway takes the
 * dial, the call controller carries it out with LiveKit's server API (here the fake, which speaks LiveKit's Twirp
 * and SIP messages and errors), and the outcome comes back over Kafka to the caller of the API.
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

    private static Response placeAndWait(Map<String, Object> dial, String idempotencyKey) {
        Response response = given().contentType(ContentType.JSON).header("Idempotency-Key", idempotencyKey).body(dial)
                .post(packaged.url("context-gateway") + "/v1/calls?wait=20s");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return response;
    }
}
