package dev.switchboard.gateway;

import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CallFailureReason;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.EndReason;
import dev.switchboard.gateway.support.Api;
import dev.switchboard.gateway.support.CallEvents;
import dev.switchboard.gateway.support.FakeWorker;
import dev.switchboard.schemas.serde.AuditRecordDeserializer;
import dev.switchboard.schemas.serde.CallControlRequestDeserializer;
import dev.switchboard.schemas.serde.CommandResultDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TopicProbe;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Call-control requests the gateway published (an immediate hang-up, a dial) that no call controller answers: the
 * gateway answers them EXPIRED once they expired plus the watchdog's grace, as a CommandResult every instance sees, and
 * once only. No call controller runs here; the test plays its late answers. Commands live 3 s in this profile and the
 * watchdog's grace past their expiry is 1 s (each test waits them out), and a dial is given its ringing timeout (2 s
 * here, longer than the 1 s the test waits past the expiry and its grace before it checks there is no answer yet) and
 * 1 s more, as a controller that took it in time may still ring.
 */
@QuarkusTest
@TestProfile(CallControlExpiryTest.ShortLived.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class CallControlExpiryTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration GRACE = Duration.ofSeconds(1);
    private static final Duration RINGING = Duration.ofSeconds(2);
    private static final Duration DIAL_OUTCOME_GRACE = Duration.ofSeconds(1);

    public static class ShortLived implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.gateway.commands.lifetime", "3s", "switchboard.gateway.watchdog.dial-outcome-grace", "1s",
                    "switchboard.gateway.watchdog.expiry-grace", GRACE.toSeconds() + "s");
        }
    }

    /** The room's live session, run by a worker that is closed with the test's probes. */
    private static String liveSession(FakeWorker worker, String room, String tenant) {
        Api.awaitReady();
        String sessionId = worker.startSession(room, tenant);
        Api.awaitSession(room, sessionId, "LIVE");
        return sessionId;
    }

    /** The results on the topic from now on: here only the gateway's EXPIRED answers (no worker or controller answers). */
    private static TopicProbe<CommandResult> expiryAnswers() {
        return TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer());
    }

    private static TopicProbe<CallControlRequest> callControl() {
        return TopicProbe.fromNow(Topic.CALL_CONTROL, new CallControlRequestDeserializer());
    }

    private static String hangUpNow(String room) {
        // Not waiting: the answer would come within a longer wait, as 504 EXPIRED.
        return given().queryParam("wait", "300ms").contentType(ContentType.JSON).body(Map.of("immediate", true))
                .post("/v1/sessions/{room}/hangup", room)
                .then().statusCode(202).body("status", is("PENDING")).extract().path("commandId");
    }

    /** Dials into the room without waiting; returns the DialRequested the gateway published. */
    private static CallControlRequest dial(TopicProbe<CallControlRequest> requests, String room, String to) {
        Api.awaitReady();
        given().contentType(ContentType.JSON).body(Map.of("to", to, "trunkId", "ST_requestTrunk", "room", room,
                        "ringingTimeout", RINGING.toSeconds() + "s"))
                .post("/v1/calls").then().statusCode(202).body("state", is("DIALING"));
        return requests.await(r -> room.equals(r.getRoom()), WAIT);
    }

    @Test
    void anImmediateHangupNoControllerAnswersIsAnsweredExpiredSayingSoAndAudited() {
        String room = Api.newRoom("hangup-unanswered");
        try (var worker = FakeWorker.start(); var requests = callControl();
             var results = expiryAnswers(); var audit = TopicProbe.fromNow(Topic.AUDIT, new AuditRecordDeserializer())) {
            String sessionId = liveSession(worker, room, "default");
            String commandId = hangUpNow(room);
            CallControlRequest request = requests.await(r -> commandId.equals(r.getCommandId()), WAIT);

            var record = results.awaitRecord(r -> commandId.equals(r.value().getCommandId()), WAIT);
            assertThat(record.key()).isEqualTo(room);
            CommandResult result = record.value();
            assertThat(result.getStatus()).isEqualTo(CommandStatus.EXPIRED);
            assertThat(result.getReason()).isEqualTo("the call controller did not answer before the request expired at "
                    + request.getExpiresAt());
            assertThat(result.getCommandType()).isEqualTo("HangupRequested");
            assertThat(result.getSessionId()).isEqualTo(sessionId);
            assertThat(result.getTenant()).isEqualTo("default");
            assertThat(result.getDecidedAt()).isAfterOrEqualTo(request.getExpiresAt().plus(GRACE));
            Api.awaitCommandStatus(commandId, "EXPIRED");
            Api.command(commandId).body("reason", is(result.getReason()));

            AuditRecord trace = audit.await(r -> commandId.equals(r.getCommandId()), WAIT);
            assertThat(trace.getAction()).isEqualTo("HangupRequested");
            assertThat(trace.getOutcome()).isEqualTo("EXPIRED");
            assertThat(trace.getDetail()).isEqualTo(result.getReason());
            assertThat(trace.getService()).isEqualTo("context-gateway");

            // The controller, back, finds the call ended after all: the first answer stands.
            worker.callEnded(room, sessionId, EndReason.OPERATOR_HANGUP, commandId);
            Api.awaitSession(room, sessionId, "ENDING");
            Api.command(commandId).body("status", is("EXPIRED"));
        }
    }

    @Test
    void aHangupAnsweredByItsCallEndedIsNotAnsweredAgain() {
        String room = Api.newRoom("hangup-answered");
        try (var worker = FakeWorker.start(); var requests = callControl(); var results = expiryAnswers()) {
            String sessionId = liveSession(worker, room, "default");
            String commandId = hangUpNow(room);
            CallControlRequest request = requests.await(r -> commandId.equals(r.getCommandId()), WAIT);
            worker.callEnded(room, sessionId, EndReason.OPERATOR_HANGUP, commandId);
            Api.awaitCommandStatus(commandId, "APPLIED");

            var seen = results.drain(Duration.between(Instant.now(), request.getExpiresAt().plus(GRACE).plusMillis(1500)));
            assertThat(seen).noneMatch(r -> commandId.equals(r.getCommandId()));
            Api.command(commandId).body("status", is("APPLIED"));
        }
    }

    @Test
    void aDialNoControllerAnswersEndsFailedExpiredAndALateFailureChangesNothing() {
        String room = Api.newRoom("dial-unanswered");
        try (var requests = callControl(); var results = expiryAnswers()) {
            CallControlRequest request = dial(requests, room, "+15551230099");
            // Past the expiry and its grace a controller that took the dial in time may still ring the phone: no answer yet.
            var early = results.drain(Duration.between(Instant.now(), request.getExpiresAt().plus(GRACE).plusSeconds(1)));
            assertThat(early).noneMatch(r -> request.getCommandId().equals(r.getCommandId()));
            given().get("/v1/calls/{room}", room).then().body("state", is("DIALING"));

            CommandResult result = results.await(r -> request.getCommandId().equals(r.getCommandId()), WAIT);
            assertThat(result.getStatus()).isEqualTo(CommandStatus.EXPIRED);
            assertThat(result.getCommandType()).isEqualTo("DialRequested");
            assertThat(result.getReason()).isEqualTo("the call controller did not answer before the request expired at "
                    + request.getExpiresAt());
            assertThat(result.getDecidedAt()).isAfterOrEqualTo(request.getExpiresAt().plus(GRACE).plus(RINGING).plus(DIAL_OUTCOME_GRACE));
            given().get("/v1/calls/{room}", room).then().statusCode(200).body("state", is("FAILED"))
                    .body("failure.reason", is("EXPIRED")).body("failure.detail", is(result.getReason()));

            // The controller, back, reports the dial it found expired: the failure a client was told stands.
            CallEvents.failed(room, request.getCommandId(), "+15551230099", CallFailureReason.FAILED, null, null);
            // A room's events are applied in order: once this later one shows, the CallFailed has been applied.
            CallEvents.classified(room, null, AnsweredBy.MACHINE);
            Awaitility.await().atMost(WAIT).untilAsserted(() -> given().get("/v1/calls/{room}", room).then()
                    .body("answeredBy", is("machine")));
            given().get("/v1/calls/{room}", room).then().body("state", is("FAILED")).body("failure.reason", is("EXPIRED"))
                    .body("failure.detail", is(result.getReason()));
            assertThat(results.drain(Duration.ofSeconds(1))).as("answered once")
                    .filteredOn(r -> request.getCommandId().equals(r.getCommandId())).hasSize(1);
        }
    }

    @Test
    void anAnsweredDialIsNotAnsweredAgain() {
        String room = Api.newRoom("dial-answered");
        try (var requests = callControl(); var results = expiryAnswers()) {
            CallControlRequest request = dial(requests, room, "+15551230098");
            CallEvents.answered(room, request.getCommandId(), "+15551230098");

            var seen = results.drain(Duration.between(Instant.now(),
                    request.getExpiresAt().plus(GRACE).plus(RINGING).plus(DIAL_OUTCOME_GRACE).plusMillis(1500)));
            assertThat(seen).noneMatch(r -> request.getCommandId().equals(r.getCommandId()));
            given().get("/v1/calls/{room}", room).then().body("state", is("ANSWERED"));
        }
    }
}
