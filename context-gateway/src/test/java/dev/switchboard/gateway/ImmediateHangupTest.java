package dev.switchboard.gateway;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.HangupScope;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.Transport;
import dev.switchboard.gateway.support.Api;
import dev.switchboard.gateway.support.FakeWorker;
import dev.switchboard.schemas.serde.CallControlRequestDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TopicProbe;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** {"immediate": true}: HangupRequested straight to the call controller, answered by the room's CallEnded event. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class ImmediateHangupTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static FakeWorker worker;

    @BeforeAll
    static void startWorker() {
        worker = FakeWorker.start();
    }

    @AfterAll
    static void stopWorker() {
        worker.close();
    }

    @BeforeEach
    void gatewayIsReady() {
        Api.awaitReady();
    }

    private static CompletableFuture<ExtractableResponse<Response>> hangUpNow(String room, String wait) {
        // In the background: the request waits for the CallEnded event the test publishes.
        return CompletableFuture.supplyAsync(() -> given()
                .header("X-Switchboard-Issuer", "ops-3")
                .queryParam("wait", wait)
                .contentType("application/json")
                .body(Map.of("reason", "fraud check failed", "immediate", true))
                .post("/v1/sessions/{room}/hangup", room)
                .then().extract());
    }

    @Test
    void hangupRequestedGoesToTheCallControllerAndTheAnswerIs200OnceTheCallEnded() throws Exception {
        String room = Api.newRoom("hangup-now");
        String sessionId = worker.startSession(room);
        Api.awaitSession(room, sessionId, "LIVE");
        try (var callControl = TopicProbe.fromNow(Topic.CALL_CONTROL, new CallControlRequestDeserializer())) {
            var response = hangUpNow(room, "10s");

            var record = callControl.awaitRecord(r -> room.equals(r.key()), WAIT);
            CallControlRequest request = record.value();
            assertThat(request.getRoom()).isEqualTo(room);
            assertThat(request.getIssuer().getKind()).isEqualTo(IssuerKind.OPERATOR);
            assertThat(request.getIssuer().getId()).isEqualTo("test-admin"); // the token's subject, not the header
            assertThat(request.getIssuer().getDisplayName()).isEqualTo("ops-3");
            assertThat(request.getTenant()).isEqualTo("default");
            assertThat(request.getPayload()).isEqualTo(HangupRequested.newBuilder()
                    .setReason(EndReason.OPERATOR_HANGUP)
                    .setDetail("fraud check failed")
                    .setScope(HangupScope.POLICY_DEFAULT)
                    .setTransport(Transport.SIMULATED)
                    .setSessionId(sessionId)
                    .build());
            assertThat(response).as("the request waits for CallEnded").isNotDone();

            worker.callEnded(room, sessionId, EndReason.OPERATOR_HANGUP, request.getCommandId());
            var answer = response.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat((String) answer.path("commandId")).isEqualTo(request.getCommandId());
            assertThat((String) answer.path("type")).isEqualTo("HangupRequested");
            assertThat((String) answer.path("status")).isEqualTo("APPLIED");
            assertThat((String) answer.path("callEnded.reason")).isEqualTo("OPERATOR_HANGUP");
            assertThat((String) answer.path("callEnded.method")).isEqualTo("NOT_NEEDED");
            Api.session(room).statusCode(200).body("state", is("ENDING")).body("callEnded.reason", is("OPERATOR_HANGUP"));
        }
    }

    @Test
    void withoutCallEndedInTimeTheAnswerIs202AndTheStatusFollowsTheEvent() {
        String room = Api.newRoom("hangup-slow");
        String sessionId = worker.startSession(room);
        Api.awaitSession(room, sessionId, "LIVE");
        try (var callControl = TopicProbe.fromNow(Topic.CALL_CONTROL, new CallControlRequestDeserializer())) {
            String commandId = given().queryParam("wait", "300ms").contentType("application/json")
                    .body(Map.of("immediate", true))
                    .post("/v1/sessions/{room}/hangup", room)
                    .then().statusCode(202).body("status", is("PENDING")).body("type", is("HangupRequested"))
                    .extract().path("commandId");
            assertThat(callControl.awaitRecord(r -> room.equals(r.key()), WAIT).value().getCommandId()).isEqualTo(commandId);
            Api.command(commandId).statusCode(200).body("status", is("PENDING"));

            // A CallEnded that does not name the request (e.g. the caller hung up first) still ends the wait.
            worker.callEnded(room, sessionId, EndReason.CALLER_HANGUP, null);
            Api.awaitCommandStatus(commandId, "APPLIED");
            Api.command(commandId).body("callEnded.reason", is("CALLER_HANGUP"));
        }
    }
}
