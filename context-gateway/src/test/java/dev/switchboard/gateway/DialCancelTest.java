package dev.switchboard.gateway;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.DialRequested;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.HangupScope;
import dev.switchboard.events.Transport;
import dev.switchboard.gateway.support.Api;
import dev.switchboard.gateway.support.CallEvents;
import dev.switchboard.schemas.serde.CallControlRequestDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.auth.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.testing.auth.AuthAssertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * A hang-up of a room whose outbound call still rings (no agent session yet) cancels the dial: the gateway publishes
 * the HangupRequested the call controller acts on (played here by the test, with the events it publishes), answers it
 * like an immediate hang-up of a session, and reports the dial FAILED with reason CANCELLED.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class DialCancelTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String NUMBER = "+15551239001";

    private final String acme = TestTokens.token().subject("alice").tenant("acme").scopes(TestTokens.TENANT_SCOPES).sign();
    private final String globex = TestTokens.ofTenant("globex");

    @BeforeEach
    void gatewayIsReady() {
        Api.awaitReady();
    }

    private static TopicProbe<CallControlRequest> callControl() {
        return TopicProbe.fromNow(Topic.CALL_CONTROL, new CallControlRequestDeserializer());
    }

    /** acme dials into a room of its own; returns the DialRequested's commandId. */
    private String dial(TopicProbe<CallControlRequest> probe, String room) {
        as(acme).contentType(ContentType.JSON).body(Map.of("to", NUMBER, "trunkId", "ST_requestTrunk", "room", room))
                .post("/v1/calls").then().statusCode(202).body("state", is("DIALING"));
        CallControlRequest request = probe.awaitRecord(r -> room.equals(r.key()) && r.value().getPayload() instanceof DialRequested, WAIT)
                .value();
        return request.getCommandId();
    }

    private CompletableFuture<ExtractableResponse<Response>> hangUp(String room, String key, Map<String, Object> body) {
        // In the background: the request waits for the CallEnded event the test publishes.
        return CompletableFuture.supplyAsync(() -> as(acme).header("Idempotency-Key", key).queryParam("wait", "10s")
                .contentType(ContentType.JSON).body(body).post("/v1/sessions/{room}/hangup", room).then().extract());
    }

    private static HangupRequested awaitHangup(TopicProbe<CallControlRequest> probe, String room, String[] commandId) {
        CallControlRequest request = probe.awaitRecord(r -> room.equals(r.key()) && r.value().getPayload() instanceof HangupRequested,
                WAIT).value();
        commandId[0] = request.getCommandId();
        assertThat(request.getTenant()).as("for the dial's tenant").isEqualTo("acme");
        assertThat(request.getIssuer().getId()).as("audited under the token's subject").isEqualTo("alice");
        return (HangupRequested) request.getPayload();
    }

    @Test
    void anImmediateHangupOfARingingDialCancelsItAndTheCallEndsFailedCancelled() throws Exception {
        String room = Api.newRoom("cancel-dial");
        String key = "cancel-" + UUID.randomUUID();
        try (var probe = callControl()) {
            String dialId = dial(probe, room);
            var answer = hangUp(room, key, Map.of("immediate", true, "reason", "wrong number"));

            String[] hangupId = new String[1];
            HangupRequested hangup = awaitHangup(probe, room, hangupId);
            assertThat(hangup).isEqualTo(HangupRequested.newBuilder().setReason(EndReason.OPERATOR_HANGUP).setDetail("wrong number")
                    .setScope(HangupScope.DELETE_ROOM).setTransport(Transport.LIVEKIT).setSessionId(null).build());
            assertThat(answer).as("the request waits for the room's CallEnded").isNotDone();

            // The call controller deletes the room (LiveKit cancels the INVITE), then reports the dial.
            CallEvents.hungUp(room, hangupId[0], EndReason.OPERATOR_HANGUP);
            var decided = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(decided.statusCode()).isEqualTo(200);
            assertThat((String) decided.path("commandId")).isEqualTo(hangupId[0]);
            assertThat((String) decided.path("type")).isEqualTo("HangupRequested");
            assertThat((String) decided.path("status")).isEqualTo("APPLIED");
            assertThat((String) decided.path("callEnded.reason")).isEqualTo("OPERATOR_HANGUP");
            assertThat((String) decided.path("callEnded.method")).isEqualTo("DELETE_ROOM");
            CallEvents.failedAfterHangup(room, dialId, NUMBER, hangupId[0], "acme");
            awaitCall(room, "state", "FAILED");
            as(acme).get("/v1/calls/{room}", room).then().statusCode(200)
                    .body("failure.reason", is("CANCELLED"))
                    .body("failure.detail", containsString("hung up while ringing (OPERATOR_HANGUP)"))
                    .body("failure.detail", containsString("NO_ANSWER"));

            // A retry with the key is the same command, already decided: nothing is published again.
            as(acme).header("Idempotency-Key", key).contentType(ContentType.JSON).body(Map.of("immediate", true, "reason", "wrong number"))
                    .post("/v1/sessions/{room}/hangup", room).then().statusCode(200)
                    .body("commandId", is(hangupId[0])).body("status", is("APPLIED"));
            assertThat(probe.drain(Duration.ofMillis(500))).filteredOn(r -> r.getPayload() instanceof HangupRequested).hasSize(1);
            as(acme).get("/v1/commands/{id}", hangupId[0]).then().statusCode(200).body("status", is("APPLIED"))
                    .body("sessionId", nullValue());
        }
    }

    @Test
    void aRingingDialIsNotFoundByAnotherTenantAndKeepsRingingWhileItsOwnIsToldItIsNotAnswered() {
        String room = Api.newRoom("cancel-other");
        try (var probe = callControl()) {
            dial(probe, room);
            as(globex).contentType(ContentType.JSON).body(Map.of("immediate", true))
                    .post("/v1/sessions/{room}/hangup", room).then().statusCode(404)
                    .contentType("application/problem+json")
                    .body("type", is("urn:switchboard:problem:session-not-found"))
                    .body("detail", is("no session is known for room \"" + room + "\""));
            as(globex).contentType(ContentType.JSON).body(Map.of())
                    .post("/v1/sessions/{room}/hangup", room).then().statusCode(404);
            assertThat(probe.drain(Duration.ofMillis(500))).noneMatch(r -> r.getPayload() instanceof HangupRequested);
            as(acme).get("/v1/calls/{room}", room).then().statusCode(200).body("state", is("DIALING"));
            // Its own tenant is told the call is not answered yet (a hang-up cancels it), not that the room is unknown.
            as(acme).contentType(ContentType.JSON).body(Map.of("text", "hello")).post("/v1/sessions/{room}/say", room).then()
                    .statusCode(409).contentType("application/problem+json")
                    .body("type", is("urn:switchboard:problem:call-not-answered"))
                    .body("title", is("The call has no agent session yet"))
                    .body("detail", is("the outbound call in room \"" + room + "\" is still ringing: commands are taken once it is answered"
                            + " and the agent's session starts; a hang-up of the room cancels the call"))
                    .body("room", is(room));
            as(globex).contentType(ContentType.JSON).body(Map.of("text", "hello")).post("/v1/sessions/{room}/say", room).then()
                    .statusCode(404).body("type", is("urn:switchboard:problem:session-not-found"));
        }
    }

    @Test
    void aHangupThatAsksForAGoodbyeCancelsARingingDialTooWhicheverOrderTheControllersEventsComeIn() throws Exception {
        String room = Api.newRoom("cancel-goodbye");
        try (var probe = callControl()) {
            String dialId = dial(probe, room);
            String key = "cancel-" + UUID.randomUUID();
            var answer = hangUp(room, key, Map.of("goodbye", "Bye!"));

            String[] hangupId = new String[1];
            HangupRequested hangup = awaitHangup(probe, room, hangupId);
            assertThat(hangup.getScope()).isEqualTo(HangupScope.DELETE_ROOM);
            // The dial's CallFailed may reach the topic before the hang-up's CallEnded: it names the hang-up.
            CallEvents.failedAfterHangup(room, dialId, NUMBER, hangupId[0], "acme");
            awaitCall(room, "state", "FAILED");
            CallEvents.hungUp(room, hangupId[0], EndReason.OPERATOR_HANGUP);
            assertThat(answer.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            awaitCall(room, "failure.reason", "CANCELLED");

            // A retry whose answer was lost: the same hang-up, decided, though the dial it cancelled is over now.
            as(acme).header("Idempotency-Key", key).contentType(ContentType.JSON).body(Map.of("goodbye", "Bye!"))
                    .post("/v1/sessions/{room}/hangup", room).then().statusCode(200)
                    .body("commandId", is(hangupId[0])).body("type", is("HangupRequested")).body("status", is("APPLIED"));
            assertThat(probe.drain(Duration.ofMillis(500))).as("the first hang-up only")
                    .filteredOn(r -> r.getPayload() instanceof HangupRequested).hasSize(1);
        }
    }

    /**
     * A call controller of SessionEvent v4 on reports the dial its hang-up stopped as CANCELLED itself: the gateway tells it
     * as it tells an older controller's NO_ANSWER, the same whichever of the two events it reads first.
     */
    @Test
    void aDialTheControllerReportsCancelledEndsTheSameWhicheverOrderItsEventsComeIn() throws Exception {
        for (boolean endedFirst : new boolean[]{true, false}) {
            String room = Api.newRoom("cancel-v4-" + (endedFirst ? "ended-first" : "failed-first"));
            try (var probe = callControl()) {
                String dialId = dial(probe, room);
                var answer = hangUp(room, "cancel-" + UUID.randomUUID(), Map.of("immediate", true));
                String[] hangupId = new String[1];
                awaitHangup(probe, room, hangupId);
                if (endedFirst) {
                    CallEvents.hungUp(room, hangupId[0], EndReason.OPERATOR_HANGUP);
                    CallEvents.cancelledByHangup(room, dialId, NUMBER, hangupId[0], "acme");
                } else {
                    CallEvents.cancelledByHangup(room, dialId, NUMBER, hangupId[0], "acme");
                    awaitCall(room, "state", "FAILED");
                    CallEvents.hungUp(room, hangupId[0], EndReason.OPERATOR_HANGUP);
                }
                assertThat(answer.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
                Awaitility.await().atMost(WAIT).untilAsserted(() -> as(acme).get("/v1/calls/{room}", room).then().statusCode(200)
                        .body("state", is("FAILED"))
                        .body("failure.reason", is("CANCELLED"))
                        .body("failure.detail", startsWith("hung up while ringing (OPERATOR_HANGUP); the call controller reported CANCELLED, "))
                        .body("failure.detail", containsString("hung up meanwhile (command " + hangupId[0] + ")")));
            }
        }
    }

    @Test
    void aSecondHangupOfADialAlreadyHungUpSendsNothingAndAnswers200() {
        String room = Api.newRoom("cancel-twice");
        try (var probe = callControl()) {
            dial(probe, room);
            // Hung up by another system over Kafka; its CallFailed has not come yet.
            CallEvents.hungUp(room, "elsewhere-" + UUID.randomUUID(), EndReason.OPERATOR_HANGUP);
            Awaitility.await().atMost(WAIT).until(() -> "OPERATOR_HANGUP"
                    .equals(as(acme).get("/v1/calls/{room}", room).then().extract().path("endReason")));
            as(acme).contentType(ContentType.JSON).body(Map.of("immediate", true))
                    .post("/v1/sessions/{room}/hangup", room).then().statusCode(200).body("status", is("APPLIED"))
                    .body("reason", containsString("had already been hung up"));
            assertThat(probe.drain(Duration.ofMillis(500))).noneMatch(r -> r.getPayload() instanceof HangupRequested);
        }
    }

    private void awaitCall(String room, String path, String value) {
        Awaitility.await(room + " " + path + " is " + value).atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> value.equals(as(acme).get("/v1/calls/{room}", room).then().extract().path(path)));
    }
}
