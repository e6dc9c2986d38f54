package dev.switchboard.gateway;

import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CallFailureReason;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.DialRequested;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.FirstSpeaker;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.MachineDetection;
import dev.switchboard.gateway.calls.CallDialer;
import dev.switchboard.gateway.commands.IdempotencyKeys;
import dev.switchboard.gateway.support.Api;
import dev.switchboard.gateway.support.CallEvents;
import dev.switchboard.gateway.support.FakeWorker;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.schemas.serde.CallControlRequestDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.auth.AuthAssertions;
import dev.switchboard.testing.auth.TestTokens;
import dev.switchboard.testing.http.RawHttp;
import dev.switchboard.testing.http.Requests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.testing.auth.AuthAssertions.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * POST /v1/calls and GET /v1/calls/{room} against a real broker: the DialRequested the gateway publishes, and the call's
 * state as the call controller's events (played by the test) report it. This profile configures no outbound trunk, so
 * dials name one in the request; without one the gateway answers 503.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class OutboundCallsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String TRUNK = "ST_requestTrunk";
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

    private static Map<String, Object> call(String to, Object... more) {
        Map<String, Object> body = new HashMap<>();
        body.put("to", to);
        body.put("trunkId", TRUNK);
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    private static CompletableFuture<ExtractableResponse<Response>> dialInBackground(Map<String, Object> body, String wait) {
        return CompletableFuture.supplyAsync(() -> given().queryParam("wait", wait).contentType(ContentType.JSON).body(body)
                .post("/v1/calls").then().extract());
    }

    private static TopicProbe<CallControlRequest> callControl() {
        return TopicProbe.fromNow(Topic.CALL_CONTROL, new CallControlRequestDeserializer());
    }

    @Test
    void aDialIsPublishedForTheControllerAndWithWaitAnswers200OnceTheCallIsAnswered() throws Exception {
        String room = Api.newRoom("dial");
        try (var probe = callControl()) {
            var response = dialInBackground(call("+15551230001", "room", room, "from", "+15557654321", "agentName", "sales-agent",
                    "instructions", "Confirm tomorrow's appointment.", "metadata", Map.of("customer", "42", "priority", 2),
                    "ringingTimeout", "20s", "maxDuration", "10m", "machineDetection", "leave-message",
                    "voicemailMessage", "Please call us back.", "firstSpeaker", "agent"), "10s");

            var record = probe.awaitRecord(r -> room.equals(r.key()), WAIT);
            CallControlRequest request = record.value();
            assertThat(request.getIssuer().getKind()).isEqualTo(IssuerKind.OPERATOR);
            assertThat(request.getPayload()).isEqualTo(DialRequested.newBuilder()
                    .setSipTrunkId(TRUNK).setPhoneNumber("+15551230001").setFromNumber("+15557654321").setAgentName("sales-agent")
                    .setInstructions("Confirm tomorrow's appointment.").setMetadata(Map.of("customer", "42", "priority", "2"))
                    .setWaitUntilAnswered(true).setRingingTimeoutSeconds(20).setMaxCallDurationSeconds(600)
                    .setMachineDetection(MachineDetection.LEAVE_MESSAGE).setVoicemailMessage("Please call us back.")
                    .setFirstSpeaker(FirstSpeaker.AGENT).build());
            given().get("/v1/calls/{room}", room).then().statusCode(200).body("state", is("DIALING"))
                    .body("commandId", is(request.getCommandId()));
            assertThat(response).as("the request waits for the outcome").isNotDone();

            CallEvents.answered(room, request.getCommandId(), "+15551230001");
            var answer = response.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat((String) answer.path("state")).isEqualTo("ANSWERED");
            assertThat((String) answer.path("room")).isEqualTo(room);
            assertThat((String) answer.path("commandId")).isEqualTo(request.getCommandId());
            assertThat((String) answer.path("to")).isEqualTo("+15551230001");
            assertThat((String) answer.path("from")).isEqualTo("+15557654321");
            assertThat((String) answer.path("statusUrl")).isEqualTo("/v1/calls/" + room);
            assertThat((Object) answer.path("failure")).isNull();
            assertThat(answer.jsonPath().getMap("$")).containsKeys("answeredBy", "failure", "endReason");
        }

        // The agent's session starts: the call shows in the session; the agent hears a machine; the call ends.
        String sessionId = CallEvents.sessionStarted(room, null, "+15551230001", "+15557654321");
        Api.awaitSession(room, sessionId, "LIVE");
        Api.session(room).body("direction", is("OUTBOUND")).body("call.state", is("ANSWERED")).body("call.sessionId", is(sessionId));
        CallEvents.classified(room, sessionId, AnsweredBy.MACHINE);
        awaitCall(room, "answeredBy", "machine");
        CallEvents.callEnded(room, sessionId, EndReason.VOICEMAIL);
        awaitCall(room, "state", "ENDED");
        given().get("/v1/calls/{room}", room).then().body("endReason", is("VOICEMAIL")).body("answeredBy", is("machine"))
                .body("endedAt", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void theListShowsATenantItsOwnCallsWhileTheyRingAndFiltersThemByState() {
        String acmeRoom = Api.newRoom("list-acme");
        String globexRoom = Api.newRoom("list-globex");
        String acme = TestTokens.ofTenant("acme");
        String globex = TestTokens.ofTenant("globex");
        as(acme).queryParam("wait", "0").contentType(ContentType.JSON).body(call("+15551230070", "room", acmeRoom))
                .post("/v1/calls").then().statusCode(202);
        as(globex).queryParam("wait", "0").contentType(ContentType.JSON).body(call("+15551230071", "room", globexRoom))
                .post("/v1/calls").then().statusCode(202);

        // A ringing dial has no session yet, so only this list shows it to a console or a script.
        as(acme).get("/v1/calls").then().statusCode(200)
                .body("calls.room", hasItem(acmeRoom)).body("calls.room", not(hasItem(globexRoom)))
                .body("calls.find { it.room == '" + acmeRoom + "' }.state", is("DIALING"))
                .body("calls.find { it.room == '" + acmeRoom + "' }.to", is("+15551230070"))
                .body("calls.find { it.room == '" + acmeRoom + "' }.tenant", is("acme"));
        as(acme).get("/v1/calls?state=dialing,answered").then().statusCode(200).body("calls.room", hasItem(acmeRoom));
        as(acme).get("/v1/calls?state=failed&state=ended").then().statusCode(200).body("calls.room", not(hasItem(acmeRoom)));
        given().get("/v1/calls").then().statusCode(200).body("calls.room", hasItems(acmeRoom, globexRoom)) // tenants:all
                .body("calls.find { it.room == '" + globexRoom + "' }.tenant", is("globex"));
        as(TestTokens.token().tenant("acme").scopes("calls:dial").sign()).get("/v1/calls").then().statusCode(403)
                .body("scope", is("calls:read"));

        as(acme).get("/v1/calls?state=ringing").then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", is("state must be one of dialing, answered, failed, ended, not \"ringing\""));
    }

    @Test
    void withoutWaitTheAnswerIs202AtOnceWithTheStatusUrl() {
        try (var probe = callControl()) {
            var answer = given().contentType(ContentType.JSON).body(call("tel:+15551230002")).post("/v1/calls")
                    .then().statusCode(202).contentType(ContentType.JSON)
                    .body("state", is("DIALING")).body("room", startsWith("call-")).extract();
            String room = answer.path("room");
            assertThat(answer.header("Location")).endsWith("/v1/calls/" + room);
            assertThat((String) answer.path("statusUrl")).isEqualTo("/v1/calls/" + room);
            var request = probe.awaitRecord(r -> room.equals(r.key()), WAIT).value();
            assertThat(request.getCommandId()).isEqualTo(answer.path("commandId"));
            assertThat(((DialRequested) request.getPayload()).getPhoneNumber()).as("tel: stripped").isEqualTo("+15551230002");
            assertThat(((DialRequested) request.getPayload()).getFirstSpeaker()).isNull();
            given().get("/v1/calls/{room}", room).then().statusCode(200).body("state", is("DIALING")).body("to", is("+15551230002"));
        }
    }

    @Test
    void everyFailureReasonOfTheControllerShowsInTheCall() {
        record Case(CallFailureReason reason, Integer code, String phrase) {
        }
        List<Case> cases = List.of(new Case(CallFailureReason.BUSY, 486, "Busy Here"),
                new Case(CallFailureReason.DECLINED, 603, "Decline"),
                new Case(CallFailureReason.NO_ANSWER, null, null),
                new Case(CallFailureReason.INVALID_NUMBER, 404, "Not Found"),
                new Case(CallFailureReason.TRUNK_REJECTED, 403, "Forbidden"),
                new Case(CallFailureReason.TRUNK_UNAVAILABLE, 503, "Service Unavailable"),
                new Case(CallFailureReason.FAILED, 488, "Not Acceptable Here"));
        try (var probe = callControl()) {
            for (Case c : cases) {
                String room = Api.newRoom("fail-" + c.reason().name().toLowerCase());
                String commandId = given().queryParam("wait", "0").contentType(ContentType.JSON).body(call("+15551230003", "room", room))
                        .post("/v1/calls").then().statusCode(202).extract().path("commandId");
                probe.awaitRecord(r -> room.equals(r.key()), WAIT);
                CallEvents.failed(room, commandId, "+15551230003", c.reason(), c.code(), c.phrase());
                awaitCall(room, "state", "FAILED");
                var call = given().get("/v1/calls/{room}", room).then().statusCode(200)
                        .body("failure.reason", is(c.reason().name()))
                        .body("failure.sipStatus", c.phrase() == null ? nullValue() : is(c.phrase()))
                        .body("failure.detail", is("test: " + c.reason()))
                        .body("answeredBy", nullValue()).body("endReason", nullValue()).extract();
                assertThat((Integer) call.path("failure.sipStatusCode")).as(c.reason().name()).isEqualTo(c.code());
            }
        }
    }

    @Test
    void aFailedCallAnswers200WithTheReasonWhenTheRequestWaits() throws Exception {
        String room = Api.newRoom("busy");
        try (var probe = callControl()) {
            var response = dialInBackground(call("+15551230004", "room", room), "10s");
            String commandId = probe.awaitRecord(r -> room.equals(r.key()), WAIT).value().getCommandId();
            CallEvents.failed(room, commandId, "+15551230004", CallFailureReason.BUSY, 486, "Busy Here");
            var answer = response.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat((String) answer.path("state")).isEqualTo("FAILED");
            assertThat((String) answer.path("failure.reason")).isEqualTo("BUSY");
            assertThat((Integer) answer.path("failure.sipStatusCode")).isEqualTo(486);
        }
    }

    @Test
    void theEventsOfADialWithoutASessionAreListed() {
        String failedRoom = Api.newRoom("events-failed");
        String endedRoom = Api.newRoom("events-ended");
        try (var probe = callControl()) {
            String failed = given().queryParam("wait", "0").contentType(ContentType.JSON).body(call("+15551230011", "room", failedRoom))
                    .post("/v1/calls").then().statusCode(202).extract().path("commandId");
            String ended = given().queryParam("wait", "0").contentType(ContentType.JSON).body(call("+15551230012", "room", endedRoom))
                    .post("/v1/calls").then().statusCode(202).extract().path("commandId");
            probe.awaitRecord(r -> failedRoom.equals(r.key()), WAIT);
            probe.awaitRecord(r -> endedRoom.equals(r.key()), WAIT);
            CallEvents.failed(failedRoom, failed, "+15551230011", CallFailureReason.BUSY, 486, "Busy Here");
            // Answered, a transfer refused, then the callee hung up before the agent started a session.
            CallEvents.answered(endedRoom, ended, "+15551230012");
            CallEvents.transferRefused(endedRoom, null, "tel:+15551230099");
            CallEvents.callEnded(endedRoom, null, EndReason.CALLER_HANGUP);
            awaitCall(failedRoom, "state", "FAILED");
            awaitCall(endedRoom, "state", "ENDED");
        }
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            List<String> types = given().get("/v1/sessions/{room}/events", failedRoom).then().statusCode(200).extract().path("events.type");
            assertThat(types).containsExactly("CallFailed");
        });
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            List<String> types = given().get("/v1/sessions/{room}/events", endedRoom).then().statusCode(200).extract().path("events.type");
            assertThat(types).containsExactly("CallAnswered", "TransferFailed", "CallEnded");
        });
        given().get("/v1/sessions/{room}/events", Api.newRoom("events-none")).then().statusCode(404);
    }

    @Test
    void aDialTheControllerDidNotCarryOutEndsFailedWithItsReasonAndAnswersTheWaitingRequest() throws Exception {
        String room = Api.newRoom("refused");
        String key = "dial-" + UUID.randomUUID();
        String reason = "the request is for tenant 'default', but the session in room " + room + " belongs to another tenant";
        try (var probe = callControl()) {
            var response = CompletableFuture.supplyAsync(() -> given().header("Idempotency-Key", key).queryParam("wait", "10s")
                    .contentType(ContentType.JSON).body(call("+15551230060", "room", room)).post("/v1/calls").then().extract());
            String commandId = probe.awaitRecord(r -> room.equals(r.key()), WAIT).value().getCommandId();
            assertThat(response).as("the request waits for the outcome").isNotDone();

            dialResult(room, commandId, CommandStatus.REJECTED, reason);
            var answer = response.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat((String) answer.path("state")).isEqualTo("FAILED");
            assertThat((String) answer.path("failure.reason")).isEqualTo("REJECTED");
            assertThat((String) answer.path("failure.detail")).isEqualTo(reason);
            given().get("/v1/calls/{room}", room).then().statusCode(200).body("state", is("FAILED"))
                    .body("failure.reason", is("REJECTED")).body("failure.detail", is(reason))
                    .body("endedAt", org.hamcrest.Matchers.notNullValue());
            Api.command(commandId).statusCode(200).body("status", is("REJECTED"));

            // A retry with the key is answered with the failed call; nothing is dialled again.
            given().header("Idempotency-Key", key).contentType(ContentType.JSON).body(call("+15551230060", "room", room))
                    .post("/v1/calls").then().statusCode(200).body("state", is("FAILED")).body("commandId", is(commandId));
            assertThat(probe.drain(Duration.ofMillis(500)).stream().filter(r -> commandId.equals(r.getCommandId())))
                    .as("DialRequested records of the dial").hasSize(1);
        }

        String expiring = Api.newRoom("expired");
        try (var probe = callControl()) {
            String commandId = given().queryParam("wait", "0").contentType(ContentType.JSON).body(call("+15551230061", "room", expiring))
                    .post("/v1/calls").then().statusCode(202).extract().path("commandId");
            probe.awaitRecord(r -> expiring.equals(r.key()), WAIT);
            dialResult(expiring, commandId, CommandStatus.EXPIRED, "expired, not carried out");
            awaitCall(expiring, "state", "FAILED");
            given().get("/v1/calls/{room}", expiring).then().body("failure.reason", is("EXPIRED"))
                    .body("failure.detail", is("expired, not carried out"));
        }
    }

    /** A DialRequested as another gateway instance, or another system, publishes it on the call-control topic. */
    private static CallControlRequest dialPlacedElsewhere(String room, String commandId, String to, String tenant, Duration lifetime) {
        DialRequested dial = DialRequested.newBuilder().setSipTrunkId(TRUNK).setPhoneNumber(to).build();
        Issuer crm = Issuer.newBuilder().setKind(IssuerKind.SYSTEM).setId("crm").build();
        return new Commands(crm).callControl(commandId, room, dial, lifetime, tenant);
    }

    /** A dial sent over Kafka naming no trunk (the controller's default) shows none, not an empty id. */
    @Test
    void aDialFromKafkaWithoutATrunkShowsNone() {
        String room = Api.newRoom("no-trunk");
        Issuer crm = Issuer.newBuilder().setKind(IssuerKind.SYSTEM).setId("crm").build();
        TestProducer.send(Topic.CALL_CONTROL, room, new Commands(crm).callControl("no-trunk-" + UUID.randomUUID(), room,
                DialRequested.newBuilder().setSipTrunkId("").setPhoneNumber("+15551230073").build(), Duration.ofSeconds(30), "acme"));
        String acme = TestTokens.ofTenant("acme");
        Awaitility.await("the dial is known").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> as(acme).get("/v1/calls/{room}", room).then().statusCode(200)
                        .body("state", is("DIALING")).body("to", is("+15551230073")).body("trunkId", nullValue()));
    }

    /**
     * A room another system dialled is its choice, not held to POST /v1/calls' rule: the call's statusUrl names it as one
     * percent-encoded path segment, so following it as written finds that call (form encoding wrote a space as '+').
     */
    @Test
    void theStatusUrlOfACallInARoomWithUrlCharactersFindsThatCall() {
        String room = "elsewhere a+b/c?d#e%" + UUID.randomUUID().toString().substring(0, 8);
        String commandId = "elsewhere-" + UUID.randomUUID();
        TestProducer.send(Topic.CALL_CONTROL, room, dialPlacedElsewhere(room, commandId, "+15551230072", "acme", Duration.ofSeconds(30)));
        String acme = TestTokens.ofTenant("acme");
        Awaitility.await("the dial is known").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> as(acme).get("/v1/calls").then().extract().<List<String>>path("calls.room").contains(room));
        String statusUrl = as(acme).get("/v1/calls").then().extract()
                .<String>path("calls.find { it.room == '" + room + "' }.statusUrl");
        assertThat(URI.create(statusUrl).getRawPath()).isEqualTo(statusUrl);
        var followed = RawHttp.send(RestAssured.port,
                Requests.get(statusUrl,
                        Map.of("Authorization", TestTokens.bearer(acme))), Duration.ofSeconds(10));
        assertThat(followed.status()).as("GET %s: %s", statusUrl, followed.body()).isEqualTo(200);
        assertThat(JsonPath.from(followed.body()).getString("room")).isEqualTo(room);
        assertThat(JsonPath.from(followed.body()).getString("commandId")).isEqualTo(commandId);
    }

    @Test
    void aDialPlacedElsewhereIsKnownHereWhileItRingsAndEndsFailedWhenTheControllerRefusesIt() {
        // Two gateway replicas behind one Service: the status URL one of them answered may be asked of the other.
        String room = Api.newRoom("elsewhere");
        String commandId = "elsewhere-" + UUID.randomUUID();
        given().get("/v1/calls/{room}", room).then().statusCode(404);
        TestProducer.send(Topic.CALL_CONTROL, room, dialPlacedElsewhere(room, commandId, "+15551230070", "acme", Duration.ofSeconds(30)));
        Awaitility.await("the dial is known").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> as(TestTokens.ofTenant("acme")).get("/v1/calls/{room}", room).statusCode() == 200);
        as(TestTokens.ofTenant("acme")).get("/v1/calls/{room}", room).then().body("state", is("DIALING"))
                .body("commandId", is(commandId)).body("to", is("+15551230070"));
        as(TestTokens.ofTenant("globex")).get("/v1/calls/{room}", room).then().statusCode(404);

        dialResult(room, commandId, CommandStatus.REJECTED, "refused by the tenant fence");
        Awaitility.await("the refusal ends it").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> "FAILED".equals(as(TestTokens.ofTenant("acme")).get("/v1/calls/{room}", room).then().extract().path("state")));
        as(TestTokens.ofTenant("acme")).get("/v1/calls/{room}", room).then().body("failure.reason", is("REJECTED"))
                .body("failure.detail", is("refused by the tenant fence"));

        // The two topics are read apart: a refusal read before its dial still ends the dial.
        String early = Api.newRoom("refused-first");
        String earlyId = "elsewhere-" + UUID.randomUUID();
        dialResult(early, earlyId, CommandStatus.REJECTED, "no trunk ST_gone");
        Awaitility.await("the result is read").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> Api.command(earlyId).extract().statusCode() == 200);
        TestProducer.send(Topic.CALL_CONTROL, early, dialPlacedElsewhere(early, earlyId, "+15551230071", null, Duration.ofSeconds(30)));
        awaitCall(early, "state", "FAILED");
        given().get("/v1/calls/{room}", early).then().body("failure.detail", is("no trunk ST_gone"));

        // A dial read after its expiry is passed over (the controller does not carry it out either); the next one counts.
        String late = Api.newRoom("late");
        String expiredId = "expired-" + UUID.randomUUID();
        String nextId = "next-" + UUID.randomUUID();
        TestProducer.send(Topic.CALL_CONTROL, late, dialPlacedElsewhere(late, expiredId, "+15551230072", null, Duration.ofMillis(1)));
        TestProducer.send(Topic.CALL_CONTROL, late, dialPlacedElsewhere(late, nextId, "+15551230073", null, Duration.ofSeconds(30)));
        awaitCall(late, "commandId", nextId);
        given().get("/v1/calls/{room}", late).then().body("state", is("DIALING")).body("to", is("+15551230073"));
    }

    @Test
    void aDialKnownHereOnlyFromItsOutcomeBelongsToTheTenantTheOutcomeNames() {
        // Another system's dial whose DialRequested this gateway never read: the controller's CallFailed says whose it is,
        // and the number it was placed from.
        String room = Api.newRoom("outcome-only");
        String commandId = "elsewhere-" + UUID.randomUUID();
        CallEvents.failed(room, commandId, "+15551230080", CallFailureReason.BUSY, 486, "Busy Here", "acme", "+15557650080", "collections");
        Awaitility.await("the outcome is read").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> as(TestTokens.ofTenant("acme")).get("/v1/calls/{room}", room).statusCode() == 200);
        as(TestTokens.ofTenant("acme")).get("/v1/calls/{room}", room).then().body("state", is("FAILED"))
                .body("commandId", is(commandId)).body("failure.reason", is("BUSY")).body("from", is("+15557650080"));
        as(TestTokens.ofTenant("acme")).get("/v1/calls").then().statusCode(200).body("calls.room", hasItem(room));
        as(TestTokens.ofTenant("default")).get("/v1/calls/{room}", room).then().statusCode(404);
        as(TestTokens.ofTenant("globex")).get("/v1/calls").then().statusCode(200).body("calls.room", not(hasItem(room)));
    }

    /** The call controller's CommandResult for a dial, as it answers one it did not carry out. */
    private static void dialResult(String room, String commandId, CommandStatus status, String reason) {
        TestProducer.send(Topic.COMMAND_RESULTS, room, CommandResult.newBuilder().setCommandId(commandId).setRoom(room)
                .setCommandType("DialRequested").setStatus(status).setReason(reason).setDecidedAt(FakeWorker.now()).build());
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyPublishesNothingAndAnswersWithTheSameCall() {
        String key = "dial-" + UUID.randomUUID();
        try (var probe = callControl()) {
            var first = given().header("Idempotency-Key", key).contentType(ContentType.JSON).body(call("+15551230005"))
                    .post("/v1/calls").then().statusCode(202).extract();
            String room = first.path("room");
            assertThat((String) first.path("commandId")).isEqualTo(key);
            probe.awaitRecord(r -> room.equals(r.key()), WAIT);

            var retry = given().header("Idempotency-Key", key).contentType(ContentType.JSON).body(call("+15551230005"))
                    .post("/v1/calls").then().statusCode(202).extract();
            assertThat((String) retry.path("room")).isEqualTo(room);
            assertThat((String) retry.path("commandId")).isEqualTo(key);

            CallEvents.answered(room, key, "+15551230005");
            awaitCall(room, "state", "ANSWERED");
            given().header("Idempotency-Key", key).queryParam("wait", "5s").contentType(ContentType.JSON).body(call("+15551230005"))
                    .post("/v1/calls").then().statusCode(200).body("state", is("ANSWERED")).body("room", is(room));

            assertThat(probe.drain(Duration.ofSeconds(1)).stream().filter(r -> key.equals(r.getCommandId())))
                    .as("DialRequested records with the key").hasSize(1);
            given().header("Idempotency-Key", key).contentType(ContentType.JSON).body(call("+15551230005", "room", "another-room"))
                    .post("/v1/calls").then().statusCode(409).contentType("application/problem+json")
                    .body("detail", containsString("Idempotency-Key"));
        }
    }

    @Test
    void anIdempotencyKeyReusedForAnotherCallIs409AndTheFirstCallIsNotChanged() {
        String key = "dial-" + UUID.randomUUID();
        try (var probe = callControl()) {
            String room = given().header("Idempotency-Key", key).contentType(ContentType.JSON)
                    .body(call("+15551230070", "metadata", Map.of("order", "42"))).post("/v1/calls")
                    .then().statusCode(202).extract().path("room");
            probe.awaitRecord(r -> room.equals(r.key()), WAIT);

            given().header("Idempotency-Key", key).contentType(ContentType.JSON).body(call("+15551230071", "metadata", Map.of("order", "42")))
                    .post("/v1/calls").then().statusCode(409).contentType("application/problem+json")
                    .body("type", is("urn:switchboard:problem:idempotency-key-reused"))
                    .body("detail", containsString("already used for a different request"));
            given().header("Idempotency-Key", key).contentType(ContentType.JSON)
                    .body(call("+15551230070", "metadata", Map.of("order", "43"))).post("/v1/calls").then().statusCode(409);
            // The same call again, the same room named and a tel: number, is a retry.
            given().header("Idempotency-Key", key).contentType(ContentType.JSON)
                    .body(call("tel:+15551230070", "room", room, "metadata", Map.of("order", "42"))).post("/v1/calls")
                    .then().statusCode(202).body("room", is(room)).body("commandId", is(key));

            assertThat(probe.drain(Duration.ofSeconds(1)).stream().filter(r -> key.equals(r.getCommandId())))
                    .as("DialRequested records with the key").hasSize(1);
            given().get("/v1/calls/{room}", room).then().statusCode(200).body("to", is("+15551230070"));
        }
    }

    @Test
    void aRoomWithACallOrARunningSessionIsNotDialledAgain() {
        String room = Api.newRoom("busy-room");
        given().contentType(ContentType.JSON).body(call("+15551230006", "room", room)).post("/v1/calls").then().statusCode(202);
        given().contentType(ContentType.JSON).body(call("+15551230007", "room", room)).post("/v1/calls")
                .then().statusCode(409).contentType("application/problem+json").body("type", is("urn:switchboard:problem:room-busy"));

        String live = Api.newRoom("live-room");
        String sessionId = worker.startSession(live);
        Api.awaitSession(live, sessionId, "LIVE");
        given().contentType(ContentType.JSON).body(call("+15551230008", "room", live)).post("/v1/calls")
                .then().statusCode(409).body("detail", containsString("running session"));
    }

    @Test
    void aDialIntoARoomWhereAnotherTenantsSessionRunsIs409WithNothingOfThatSession() {
        String acme = TestTokens.ofTenant("acme");
        String globex = TestTokens.ofTenant("globex");
        String room = Api.newRoom("taken");
        String sessionId = worker.startSession(room, "acme");
        Api.awaitSession(room, sessionId, "LIVE");

        var refused = as(globex).contentType(ContentType.JSON).body(call("+15551230050", "room", room)).post("/v1/calls")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", is("urn:switchboard:problem:room-busy"))
                .body("detail", is("room \"" + room + "\" is in use; dial into another room or leave room out")).extract();
        assertThat(refused.asString()).doesNotContain(sessionId).doesNotContain("LIVE").doesNotContain("acme")
                .doesNotContain("session");
        // The session's own tenant is told what holds the room.
        as(acme).contentType(ContentType.JSON).body(call("+15551230050", "room", room)).post("/v1/calls")
                .then().statusCode(409).body("type", is("urn:switchboard:problem:room-busy"))
                .body("detail", containsString("running session (" + sessionId + ", LIVE)"));
    }

    @Test
    void aRoomWhereTheGatewayRemembersAnotherTenantsCallIsNotDialledAndThatCallStaysItsOwn() {
        String acme = TestTokens.ofTenant("acme");
        String globex = TestTokens.ofTenant("globex");
        String room = Api.newRoom("remembered");
        try (var probe = callControl()) {
            String acmeDial = as(acme).contentType(ContentType.JSON).body(call("+15551230051", "room", room)).post("/v1/calls")
                    .then().statusCode(202).extract().path("commandId");
            probe.awaitRecord(r -> room.equals(r.key()), WAIT);

            // While acme's call rings, globex is told the room is in use and nothing of the call.
            var whileDialing = as(globex).contentType(ContentType.JSON).body(call("+15551230052", "room", room))
                    .post("/v1/calls").then().statusCode(409).body("type", is("urn:switchboard:problem:room-busy")).extract();
            assertThat(whileDialing.asString()).doesNotContain(acmeDial).doesNotContain("DIALING");

            CallEvents.failed(room, acmeDial, "+15551230051", CallFailureReason.BUSY, 486, "Busy Here");
            awaitCall(room, "state", "FAILED");

            // Over, but still acme's for the retention: globex cannot take the room over.
            var afterFailure = as(globex).contentType(ContentType.JSON).body(call("+15551230052", "room", room))
                    .post("/v1/calls").then().statusCode(409).contentType("application/problem+json")
                    .body("type", is("urn:switchboard:problem:room-busy"))
                    .body("detail", is("room \"" + room + "\" is in use; dial into another room or leave room out")).extract();
            assertThat(afterFailure.asString()).doesNotContain(acmeDial).doesNotContain("FAILED").doesNotContain("BUSY");
            as(acme).get("/v1/calls/{room}", room).then().statusCode(200).body("state", is("FAILED"))
                    .body("commandId", is(acmeDial)).body("failure.reason", is("BUSY"));
            assertThat(probe.drain(Duration.ofMillis(500)).stream().filter(r -> room.equals(r.getRoom()))
                    .filter(r -> !acmeDial.equals(r.getCommandId()))).as("nothing published for globex").isEmpty();

            // acme may dial into its own room again once its call is over.
            String redial = as(acme).contentType(ContentType.JSON).body(call("+15551230053", "room", room)).post("/v1/calls")
                    .then().statusCode(202).body("state", is("DIALING")).extract().path("commandId");
            assertThat(redial).isNotEqualTo(acmeDial);
            as(acme).get("/v1/calls/{room}", room).then().statusCode(200).body("state", is("DIALING")).body("commandId", is(redial));
        }
    }

    @Test
    void withoutATrunkInTheRequestOrTheConfigurationTheAnswerIs503SayingWhatToSetAndNothingIsPublished() {
        try (var probe = callControl()) {
            String room = Api.newRoom("no-trunk");
            given().contentType(ContentType.JSON).body(Map.of("to", "+15551230009", "room", room)).post("/v1/calls")
                    .then().statusCode(503).contentType("application/problem+json")
                    .body("type", is("urn:switchboard:problem:dialing-not-configured"))
                    .body("detail", containsString("SWITCHBOARD_SIP_OUTBOUND_TRUNK"))
                    .body("detail", containsString("LIVEKIT_URL"))
                    .body("room", is(room));
            // As the README says: the room the request named, and none made up for a dial that was never published.
            given().contentType(ContentType.JSON).body(Map.of("to", "+15551230009")).post("/v1/calls")
                    .then().statusCode(503).body("type", is("urn:switchboard:problem:dialing-not-configured"))
                    .body("$", not(hasKey("room")));
            assertThat(probe.drain(Duration.ofMillis(500)).stream().filter(r -> room.equals(r.getRoom()))).isEmpty();
            given().get("/v1/calls/{room}", room).then().statusCode(404).contentType("application/problem+json");
        }
    }

    @Test
    void badInputIs400NamingTheField() {
        record Bad(Map<String, Object> body, String says) {
        }
        List<Bad> cases = List.of(
                new Bad(Map.of("trunkId", TRUNK), "to is required"),
                new Bad(call("5551234567"), "to must be an E.164 number"),
                new Bad(call("+0123"), "to must be an E.164 number"),
                new Bad(call("mailto:bob@example.com"), "to must be an E.164 number"),
                new Bad(call("sip:bob@pbx.example.com?P-Asserted-Identity=%3Csip:ceo@example.com%3E"), "?headers or control characters"),
                new Bad(call("sip:bob@example.com\u001b[2J\u0000"), "to must be an E.164 number (+ and up to 15 digits, e.g. +15551234567)"
                        + " or a SIP user such as sip:alice, without a host"),
                new Bad(call("sip:reception@pbx.example.com"), "without a host (LiveKit calls a SIP user at the outbound trunk's address"),
                new Bad(call("tel:tel:+15551230010"), "to must be an E.164 number"),
                new Bad(call(" +15551230010"), "to must be an E.164 number"),
                new Bad(call("sip:bob@example.com\u007f"), "or control characters"),
                new Bad(call("sip:bob@example.com\u009b2J"), "or control characters"),
                new Bad(call("sip:bob\u00a0INVITE@example.com"), "or control characters"),
                new Bad(call("sip:\u202Emoc.evil@example.com"), "or control characters"),
                new Bad(call("+15551230010", "from", "bob"), "from must be an E.164 number"),
                new Bad(call("+15551230010", "from", "+1555123\u001b"), "from must be an E.164 number"),
                new Bad(call("+15551230010", "trunkId", "ST_a\u0000"), "trunkId must be a LiveKit trunk id"),
                new Bad(call("+15551230010", "room", "call\u001b[2J"), "room must be"),
                new Bad(call("+15551230010", "agentName", "agent\u001b[2J"), "agentName must not contain control characters"),
                new Bad(call("+15551230010", "instructions", "be\u0000brief"), "instructions must not contain NUL characters"),
                new Bad(call("+15551230010", "machineDetection", "leave-message", "voicemailMessage", "hi\u0000"),
                        "voicemailMessage must not contain NUL characters"),
                new Bad(call("+15551230010", "room", "a room"), "room must be"),
                new Bad(call("+15551230010", "machineDetection", "maybe"), "machineDetection"),
                new Bad(call("+15551230010", "machineDetection", "leave-message"), "voicemailMessage is required"),
                new Bad(call("+15551230010", "voicemailMessage", "hi"), "voicemailMessage is only used"),
                new Bad(call("+15551230010", "firstSpeaker", "nobody"), "firstSpeaker"),
                new Bad(call("+15551230010", "ringingTimeout", "forever"), "ringingTimeout must be a duration"),
                new Bad(call("+15551230010", "ringingTimeout", "1h"), "ringingTimeout must be between"),
                new Bad(call("+15551230010", "maxDuration", "0s"), "maxDuration must be between"),
                new Bad(call("+15551230010", "ringingTimeout", "PT99999999999999H"), "ringingTimeout must be between 1s and 300s"),
                new Bad(call("+15551230010", "maxDuration", "PT9999999999999H"), "maxDuration must be between 1s and 86400s"),
                new Bad(call("+15551230010", "maxDuration", "PT1.0001S"), "maxDuration must be a duration of whole seconds"),
                new Bad(call("+15551230010", "metadata", Map.of("k", "x".repeat(4001))), "metadata entry 'k' is 4001 characters"));
        for (Bad bad : cases) {
            given().contentType(ContentType.JSON).body(bad.body()).post("/v1/calls")
                    .then().statusCode(400).contentType("application/problem+json").body("detail", containsString(bad.says()));
        }
        given().contentType(ContentType.JSON).post("/v1/calls").then().statusCode(400).body("detail", containsString("JSON body is required"));
        // Written as JSON escapes: well-formed JSON whose text is half a surrogate pair, which UTF-8 cannot carry.
        given().contentType(ContentType.JSON).body("{\"to\": \"+15551230010\", \"trunkId\": \"" + TRUNK + "\", \"metadata\": {\"k\": \"\\ud800\"}}")
                .post("/v1/calls").then().statusCode(400).body("detail", is("metadata entry 'k' is not valid Unicode: a lone surrogate"));
        given().contentType(ContentType.JSON).body("{\"to\": \"+15551230010\", \"trunkId\": \"" + TRUNK + "\", \"agentName\": \"a\\udc00\"}")
                .post("/v1/calls").then().statusCode(400).body("detail", is("agentName is not valid Unicode: a lone surrogate"));
        given().contentType(ContentType.JSON).queryParam("wait", "90s").body(call("+15551230010")).post("/v1/calls")
                .then().statusCode(400).body("detail", containsString("wait must be at most 60s"));
    }

    @Test
    void placingACallNeedsCallsDialAndACallBelongsToTheTenantOfTheTokenThatPlacedIt() {
        AuthAssertions.refusesUnusableTokens("dial", r -> r.contentType(ContentType.JSON).body(call("+15551230020")).post("/v1/calls"));
        AuthAssertions.needsScope("dial", "calls:dial", r -> r.contentType(ContentType.JSON).body(call("+15551230020")).post("/v1/calls"));
        AuthAssertions.needsScope("call status", "calls:read", r -> r.get("/v1/calls/{room}", "any-room"));

        String acme = TestTokens.token().subject("alice").tenant("acme").scopes(TestTokens.TENANT_SCOPES).sign();
        String globex = TestTokens.ofTenant("globex");
        String key = "dial-" + UUID.randomUUID();
        try (var probe = callControl()) {
            String room = Api.newRoom("tenant-dial");
            as(acme).header("Idempotency-Key", key).header("X-Switchboard-Issuer", "mallory").contentType(ContentType.JSON)
                    .body(call("+15551230021", "room", room)).post("/v1/calls").then().statusCode(202);
            CallControlRequest request = probe.awaitRecord(r -> room.equals(r.key()), WAIT).value();
            assertThat(request.getTenant()).isEqualTo("acme");
            assertThat(request.getIssuer().getId()).as("who dialled is the token's subject").isEqualTo("alice");
            assertThat(request.getIssuer().getDisplayName()).isEqualTo("mallory");

            as(acme).get("/v1/calls/{room}", room).then().statusCode(200).body("state", is("DIALING"));
            as(globex).get("/v1/calls/{room}", room).then().statusCode(404);
            // Another tenant's same key is a call of its own: it learns nothing of acme's, and acme's is untouched.
            var other = as(globex).header("Idempotency-Key", key).contentType(ContentType.JSON).body(call("+15551230021"))
                    .post("/v1/calls").then().statusCode(202).extract();
            assertThat(other.asString()).doesNotContain(room);
            assertThat((String) other.path("commandId")).isNotEqualTo(request.getCommandId());
            as(acme).get("/v1/calls/{room}", room).then().statusCode(200).body("state", is("DIALING"))
                    .body("commandId", is(request.getCommandId()));
        }
    }

    @Test
    void aRoomSquattedByAnotherTenantDoesNotStopADialWithoutOne() {
        String acme = TestTokens.ofTenant("acme");
        String globex = TestTokens.ofTenant("globex");
        String key = "order-" + UUID.randomUUID();
        String callKey = "order-" + UUID.randomUUID();
        // Anyone who knows the tenant and the key can work out the room a dial without one would be placed in.
        String squattedBySession = CallDialer.generatedRoom(IdempotencyKeys.commandId("acme", key));
        String squattedByCall = CallDialer.generatedRoom(IdempotencyKeys.commandId("acme", callKey));
        Api.awaitSession(squattedBySession, worker.startSession(squattedBySession, "globex"), "LIVE");
        try (var probe = callControl()) {
            as(globex).contentType(ContentType.JSON).body(call("+15551230050", "room", squattedByCall)).post("/v1/calls")
                    .then().statusCode(202);
            probe.awaitRecord(r -> squattedByCall.equals(r.key()), WAIT);

            for (String[] dial : new String[][] {{key, squattedBySession}, {callKey, squattedByCall}}) {
                var placed = as(acme).header("Idempotency-Key", dial[0]).contentType(ContentType.JSON).body(call("+15551230051"))
                        .post("/v1/calls").then().statusCode(202).extract();
                String room = placed.path("room");
                assertThat(room).as("a fresh room, not the squatted one").startsWith("call-").isNotEqualTo(dial[1]);
                CallControlRequest request = probe.awaitRecord(r -> room.equals(r.key()), WAIT).value();
                assertThat(request.getTenant()).isEqualTo("acme");
                // A retry with the key finds the call: the same room, nothing dialled again.
                as(acme).header("Idempotency-Key", dial[0]).contentType(ContentType.JSON).body(call("+15551230051"))
                        .post("/v1/calls").then().statusCode(202).body("room", is(room)).body("commandId", is(request.getCommandId()));
                assertThat(probe.drain(Duration.ofMillis(300))).filteredOn(r -> r.getCommandId().equals(request.getCommandId())).hasSize(1);
            }
        }
    }

    @Test
    void aKeyAnotherTenantUsedForACommandDialsAsIfItHadNotBeenUsed() {
        String acme = TestTokens.ofTenant("acme");
        String globex = TestTokens.ofTenant("globex");
        String acmeRoom = Api.newRoom("acme-room");
        Api.awaitSession(acmeRoom, worker.startSession(acmeRoom, "acme"), "LIVE");
        String key = "context-" + UUID.randomUUID();
        String injected = as(acme).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Map.of("role", "system", "text", "for acme")).post("/v1/sessions/{room}/context", acmeRoom)
                .then().statusCode(200).extract().path("commandId");
        try (var probe = callControl()) {
            var dial = as(globex).header("Idempotency-Key", key).contentType(ContentType.JSON).body(call("+15551230040"))
                    .post("/v1/calls").then().statusCode(202).extract();
            String room = dial.path("room");
            assertThat(dial.asString()).doesNotContain(acmeRoom).doesNotContain("InjectContext");
            assertThat((String) dial.path("commandId")).isNotEqualTo(injected);
            CallControlRequest request = probe.awaitRecord(r -> room.equals(r.key()), WAIT).value();
            assertThat(request.getTenant()).isEqualTo("globex");
            assertThat(request.getCommandId()).isEqualTo(dial.path("commandId"));
        }
        // Within acme the key stays taken, and acme is told what for.
        as(acme).header("Idempotency-Key", key).contentType(ContentType.JSON).body(call("+15551230040")).post("/v1/calls")
                .then().statusCode(409).body("type", is("urn:switchboard:problem:idempotency-key-reused"))
                .body("detail", containsString("already used for the InjectContext command on room \"" + acmeRoom + "\""));
    }

    @Test
    void aKeyAnotherTenantDialledWithIsACommandOfItsOwn() {
        String acme = TestTokens.ofTenant("acme");
        String globex = TestTokens.ofTenant("globex");
        String globexRoom = Api.newRoom("globex-room");
        Api.awaitSession(globexRoom, worker.startSession(globexRoom, "globex"), "LIVE");
        String key = "dial-" + UUID.randomUUID();
        String dialled = as(acme).header("Idempotency-Key", key).contentType(ContentType.JSON).body(call("+15551230041"))
                .post("/v1/calls").then().statusCode(202).extract().path("commandId");

        String injected = as(globex).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Map.of("role", "system", "text", "for globex")).post("/v1/sessions/{room}/context", globexRoom)
                .then().statusCode(200).body("status", is("APPLIED")).extract().path("commandId");
        assertThat(injected).isNotEqualTo(dialled);
        assertThat(worker.awaitCommand(injected).value().getTenant()).isEqualTo("globex");
        as(globex).get("/v1/commands/{id}", dialled).then().statusCode(404);
    }

    @Test
    void aKeyTheTenantDialledWithIsNotTakenForASessionCommand() {
        String acme = TestTokens.ofTenant("acme");
        String acmeRoom = Api.newRoom("acme-live");
        Api.awaitSession(acmeRoom, worker.startSession(acmeRoom, "acme"), "LIVE");
        String key = "dial-" + UUID.randomUUID();
        String dialledRoom = as(acme).header("Idempotency-Key", key).contentType(ContentType.JSON).body(call("+15551230044"))
                .post("/v1/calls").then().statusCode(202).extract().path("room");

        as(acme).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Map.of("role", "system", "text", "same key")).post("/v1/sessions/{room}/context", acmeRoom)
                .then().statusCode(409).body("type", is("urn:switchboard:problem:idempotency-key-reused"))
                .body("detail", containsString("already used for a call into room \"" + dialledRoom + "\""));
        assertThat(worker.received(acmeRoom)).as("nothing was sent to the worker").isEmpty();
    }

    @Test
    void theSameKeyDialledByTwoTenantsIsTwoCallsInTwoRoomsAndEachRetryFindsItsOwn() {
        String acme = TestTokens.ofTenant("acme");
        String globex = TestTokens.ofTenant("globex");
        String key = "dial-" + UUID.randomUUID();
        try (var probe = callControl()) {
            var first = as(acme).header("Idempotency-Key", key).contentType(ContentType.JSON).body(call("+15551230042"))
                    .post("/v1/calls").then().statusCode(202).extract();
            var second = as(globex).header("Idempotency-Key", key).contentType(ContentType.JSON).body(call("+15551230043"))
                    .post("/v1/calls").then().statusCode(202).extract();
            String acmeRoom = first.path("room");
            String globexRoom = second.path("room");
            assertThat(globexRoom).isNotEqualTo(acmeRoom);
            assertThat((String) second.path("commandId")).isNotEqualTo(first.path("commandId"));
            assertThat(second.asString()).doesNotContain(acmeRoom).doesNotContain("+15551230042");

            as(acme).header("Idempotency-Key", key).contentType(ContentType.JSON).body(call("+15551230042")).post("/v1/calls")
                    .then().statusCode(202).body("room", is(acmeRoom)).body("commandId", is((String) first.path("commandId")));
            as(globex).header("Idempotency-Key", key).contentType(ContentType.JSON).body(call("+15551230043")).post("/v1/calls")
                    .then().statusCode(202).body("room", is(globexRoom)).body("commandId", is((String) second.path("commandId")));

            assertThat(probe.awaitRecord(r -> acmeRoom.equals(r.key()), WAIT).value().getTenant()).isEqualTo("acme");
            assertThat(probe.awaitRecord(r -> globexRoom.equals(r.key()), WAIT).value().getTenant()).isEqualTo("globex");
            var published = probe.drain(Duration.ofSeconds(1));
            for (var dial : List.of(first, second)) {
                String commandId = dial.path("commandId");
                assertThat(published.stream().filter(r -> commandId.equals(r.getCommandId()))).as("dials of " + commandId).hasSize(1);
            }
        }
    }

    /** A SIP user is dialled as given (the call controller asks LiveKit to call the user at the trunk's address). */
    @Test
    void aSipUserIsDialledAsGiven() {
        try (var probe = callControl()) {
            String room = Api.newRoom("sip-uri");
            given().contentType(ContentType.JSON).body(call("SIP:reception", "room", room)).post("/v1/calls")
                    .then().statusCode(202);
            var dial = (DialRequested) probe.awaitRecord(r -> room.equals(r.key()), WAIT).value().getPayload();
            assertThat(dial.getPhoneNumber()).isEqualTo("sip:reception");
        }
    }

    private static void awaitCall(String room, String path, String value) {
        Awaitility.await(room + " " + path + " is " + value).atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> value.equals(given().get("/v1/calls/{room}", room).then().extract().path(path)));
    }
}
