package dev.switchboard.gateway;

import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.ContextRole;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.EndSession;
import dev.switchboard.events.InjectContext;
import dev.switchboard.events.InstructionsMode;
import dev.switchboard.events.Interrupt;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.Say;
import dev.switchboard.events.SendDtmf;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.TransferCall;
import dev.switchboard.events.UpdateInstructions;
import dev.switchboard.gateway.support.Api;
import dev.switchboard.gateway.support.FakeWorker;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.auth.TestTokens;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.auth.AuthAssertions;
import dev.switchboard.testing.http.RawHttp;
import dev.switchboard.testing.http.Requests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static dev.switchboard.gateway.support.Api.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** The command endpoints against a real broker, with a fake worker answering on the results topic. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class SessionCommandsTest {
    private static FakeWorker worker;

    private record Live(String room, String sessionId) {
    }

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

    private static Live live(String prefix) {
        String room = Api.newRoom(prefix);
        String sessionId = worker.startSession(room);
        Api.awaitSession(room, sessionId, "LIVE");
        return new Live(room, sessionId);
    }

    @Test
    void injectedContextIsPublishedKeyedByRoomAndAnswered200OnceApplied() {
        Live live = live("inject");
        Instant before = Instant.now().minusMillis(1);
        // Who issued it is the token's subject; the header is only a label for people, whatever it claims.
        String token = TestTokens.token().subject("crm-service").scopes("calls:control", "calls:read").sign();
        String commandId = given().auth().oauth2(token).header("X-Switchboard-Issuer", "supervisor-7")
                .contentType(ContentType.JSON)
                .body(Map.of("role", "system", "text", "The order shipped today.", "respond", true, "label", "crm"))
                .post("/v1/sessions/{room}/context", live.room())
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("status", is("APPLIED"))
                .body("type", is("InjectContext"))
                .body("room", is(live.room()))
                .body("sessionId", is(live.sessionId()))
                .body("workerId", is(worker.workerId()))
                .body("issuer.kind", is("OPERATOR"))
                .body("issuer.id", is("crm-service"))
                .body("issuer.displayName", is("supervisor-7"))
                .body("issuer.tenant", is("default"))
                .body("decidedAt", notNullValue())
                .extract().path("commandId");
        Instant after = Instant.now();

        var record = worker.awaitCommand(commandId);
        assertThat(record.key()).isEqualTo(live.room());
        SessionCommand command = record.value();
        assertThat(command.getRoom()).isEqualTo(live.room());
        assertThat(command.getIssuer()).isEqualTo(Issuer.newBuilder().setKind(IssuerKind.OPERATOR).setId("crm-service")
                .setDisplayName("supervisor-7").setTenant("default").build());
        assertThat(command.getTenant()).isEqualTo("default");
        assertThat(command.getIssuedAt()).isBetween(before, after);
        assertThat(Duration.between(command.getIssuedAt(), command.getExpiresAt())).isEqualTo(Duration.ofSeconds(30));
        assertThat(command.getPayload()).isEqualTo(InjectContext.newBuilder()
                .setRole(ContextRole.SYSTEM).setText("The order shipped today.").setRespond(true).setLabel("crm").build());

        Api.command(commandId).statusCode(200).body("status", is("APPLIED")).body("room", is(live.room()))
                .body("statusUrl", is("/v1/commands/" + commandId));
    }

    @Test
    void everyCommandEndpointPublishesItsCommand() {
        Live live = live("endpoints");
        String say = post(live.room(), "say", Map.of("text", "One moment please.", "allowInterruptions", false))
                .statusCode(200).body("type", is("Say")).body("issuer.id", is("test-admin")).extract().path("commandId");
        String interrupt = post(live.room(), "interrupt", null).statusCode(200).body("type", is("Interrupt")).extract().path("commandId");
        String instructions = post(live.room(), "instructions", Map.of("instructions", "Be brief.", "mode", "append"))
                .statusCode(200).body("type", is("UpdateInstructions")).extract().path("commandId");
        String hangup = post(live.room(), "hangup", Map.of("reason", "order confirmed", "goodbye", "Thanks, goodbye!"))
                .statusCode(200).body("type", is("EndSession")).extract().path("commandId");

        assertThat(worker.awaitCommand(say).value().getPayload())
                .isEqualTo(Say.newBuilder().setText("One moment please.").setAllowInterruptions(false).build());
        assertThat(worker.awaitCommand(interrupt).value().getPayload()).isEqualTo(Interrupt.newBuilder().build());
        assertThat(worker.awaitCommand(instructions).value().getPayload()).isEqualTo(UpdateInstructions.newBuilder()
                .setInstructions("Be brief.").setMode(InstructionsMode.APPEND).build());
        SessionCommand endSession = worker.awaitCommand(hangup).value();
        assertThat(endSession.getPayload()).isEqualTo(EndSession.newBuilder()
                .setReason("order confirmed").setGoodbye("Thanks, goodbye!").build());
        assertThat(endSession.getIssuer().getKind()).isEqualTo(IssuerKind.OPERATOR);
    }

    @Test
    void aTransferIsPublishedForTheAgentAndNeedsCallsDial() {
        Live live = live("transfer");
        AuthAssertions.needsScope("transfer", "calls:dial", r -> r.contentType(ContentType.JSON)
                .body(Map.of("to", "tel:+15550199")).post("/v1/sessions/{room}/transfer", live.room()));
        given().contentType(ContentType.JSON).body(Map.of("to", "15550199")).post("/v1/sessions/{room}/transfer", live.room())
                .then().statusCode(400).body("detail", containsString("to"));
        given().contentType(ContentType.JSON).body(Map.of("to", "sip:billing@pbx.example.com?Subject=urgent"))
                .post("/v1/sessions/{room}/transfer", live.room())
                .then().statusCode(400).body("detail", containsString("without ?headers"));
        // What the gateway takes, its refusal says: tel:+E.164, a bare +E.164 (sent on as tel:), or a sip: URI.
        given().contentType(ContentType.JSON).body(Map.of("to", "sip:bob@example.com\u001b[2J\u0000"))
                .post("/v1/sessions/{room}/transfer", live.room())
                .then().statusCode(400).contentType(ContentType.fromContentType("application/problem+json"))
                .body("detail", is("to must be tel: and an E.164 number (tel:+15551234567; a bare +15551234567 is taken as tel:)"
                        + " or a sip: URI without ?headers or control characters"));
        given().contentType(ContentType.JSON).body(Map.of("to", "tel:+15550199", "announcement", "a\u0000b"))
                .post("/v1/sessions/{room}/transfer", live.room())
                .then().statusCode(400).body("detail", is("announcement must not contain NUL characters"));

        String transfer = post(live.room(), "transfer", Map.of("to", "+15550199", "announcement", "Connecting you to billing."))
                .statusCode(200).body("type", is("TransferCall")).extract().path("commandId");

        assertThat(worker.awaitCommand(transfer).value().getPayload()).isEqualTo(TransferCall.newBuilder()
                .setTo("tel:+15550199").setAnnouncement("Connecting you to billing.").build());
    }

    @Test
    void keypadTonesArePublishedForTheAgentWithoutSpacesAndBadDigitsAre400() {
        Live live = live("dtmf");
        AuthAssertions.needsScope("dtmf", "calls:control", r -> r.contentType(ContentType.JSON)
                .body(Map.of("digits", "1")).post("/v1/sessions/{room}/dtmf", live.room()));
        given().contentType(ContentType.JSON).body(Map.of("digits", "12x")).post("/v1/sessions/{room}/dtmf", live.room())
                .then().statusCode(400).contentType(ContentType.fromContentType("application/problem+json")).body("detail", containsString("digits"));
        given().contentType(ContentType.JSON).body(Map.of()).post("/v1/sessions/{room}/dtmf", live.room())
                .then().statusCode(400).body("detail", containsString("digits"));
        given().contentType(ContentType.JSON).body(Map.of("digits", " - ")).post("/v1/sessions/{room}/dtmf", live.room())
                .then().statusCode(400).body("detail", containsString("1 to 64 keys"));
        given().contentType(ContentType.JSON).body(Map.of("digits", "1".repeat(1000))).post("/v1/sessions/{room}/dtmf", live.room())
                .then().statusCode(400).body("detail", is("digits must hold 1 to 64 keys (spaces and dashes aside), not 1000"));
        given().contentType(ContentType.JSON).body(Map.of("digits", "w W")).post("/v1/sessions/{room}/dtmf", live.room())
                .then().statusCode(400).body("detail", is("digits must press at least one key; w only pauses"));

        String dtmf = post(live.room(), "dtmf", Map.of("digits", "1 2-3 w#")).statusCode(200).body("type", is("SendDtmf"))
                .extract().path("commandId");

        assertThat(worker.awaitCommand(dtmf).value().getPayload()).isEqualTo(SendDtmf.newBuilder().setDigits("123w#").build());
    }

    @Test
    void anIssuerLabelSentInUtf8IsKeptAsWritten() {
        Live live = live("utf8-label");
        String label = "Zoë ☎";
        String body = "{\"text\": \"hi\"}";
        // Requests writes the header's bytes in UTF-8, as clients that send more than ASCII do.
        RawHttp.Answer answer = RawHttp.send(RestAssured.port, Requests.of("POST",
                "/v1/sessions/" + live.room() + "/say", Map.of("Authorization", TestTokens.bearer(TestTokens.admin()),
                        "Content-Type", "application/json", "X-Switchboard-Issuer", label), body), Duration.ofSeconds(10));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(JsonPath.from(answer.body()).getString("issuer.displayName")).isEqualTo(label);
    }

    /**
     * The header label is held to the token's display name's rule: a right-to-left override before "nimda" shows as
     * "admin" wherever the issuer is displayed. A token's name that breaks it falls back to the subject; the header, the
     * client's own choice, is refused naming it, and no command is sent or remembered.
     */
    @Test
    void anIssuerLabelThatWouldNotShowAsWrittenIsRefused() {
        Live live = live("bidi-label");
        String unique = UUID.randomUUID().toString().substring(0, 8);
        String[] labels = {"\u202Enimda", "ad\u200Bmin", "ops\u2066x\u2069", "\uE000ops"};
        for (int i = 0; i < labels.length; i++) {
            String key = "bidi-" + unique + "-" + i;
            // Requests writes the header's bytes in UTF-8, as a client sending the label would.
            RawHttp.Answer answer = RawHttp.send(RestAssured.port, Requests.of("POST",
                    "/v1/sessions/" + live.room() + "/say", Map.of("Authorization", TestTokens.bearer(TestTokens.admin()),
                            "Content-Type", "application/json", "X-Switchboard-Issuer", labels[i], "Idempotency-Key", key),
                    "{\"text\": \"hi\"}"), Duration.ofSeconds(10));
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(JsonPath.from(answer.body()).getString("detail")).startsWith("X-Switchboard-Issuer must be printable text");
            Api.command(key).statusCode(404);
        }
        assertThat(worker.received(live.room())).isEmpty();
        // The same name in a token: the label falls back to the subject, as before.
        String token = TestTokens.token().subject("bidi-" + unique).displayName("\u202Enimda").scopes("calls:control").sign();
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("text", "hi"))
                .post("/v1/sessions/{room}/say", live.room()).then().statusCode(200)
                .body("issuer.displayName", is("bidi-" + unique));
    }

    @Test
    void textIsCountedInCharactersNotUtf16Units() {
        Live live = live("emoji");
        String emoji = "\uD83D\uDE00";
        post(live.room(), "say", Map.of("text", emoji.repeat(4000))).statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("text", emoji.repeat(4001))).post("/v1/sessions/{room}/say", live.room())
                .then().statusCode(400).body("detail", is("text is 4001 characters long; at most 4000 are allowed"));
    }

    @Test
    void aRejectedCommandIs409WithTheWorkersReasonAndTheCommandId() {
        Live live = live("rejected");
        worker.answerWith(live.room(), CommandStatus.REJECTED, "session is ending");
        String commandId = post(live.room(), "say", Map.of("text", "hello"))
                .statusCode(409).contentType(ContentType.fromContentType("application/problem+json"))
                .body("type", is("urn:switchboard:problem:command-rejected"))
                .body("status", is(409))
                .body("commandStatus", is("REJECTED"))
                .body("reason", is("session is ending"))
                .body("detail", is("the Say command was rejected: session is ending"))
                .body("instance", is("/v1/sessions/" + live.room() + "/say"))
                .body("commandId", notNullValue())
                .extract().path("commandId");
        assertThat(worker.awaitCommand(commandId).key()).isEqualTo(live.room());
        Api.command(commandId).statusCode(200).body("status", is("REJECTED")).body("reason", is("session is ending"));
    }

    @Test
    void anExpiredCommandIs504AndAnUnknownSessionResultIs404() {
        Live live = live("expired");
        worker.answerWith(live.room(), CommandStatus.EXPIRED, "expired before it was applied");
        post(live.room(), "say", Map.of("text", "too late"))
                .statusCode(504).contentType(ContentType.fromContentType("application/problem+json"))
                .body("type", is("urn:switchboard:problem:command-expired"))
                .body("commandStatus", is("EXPIRED"))
                .body("commandId", notNullValue());

        worker.answerWith(live.room(), CommandStatus.UNKNOWN_SESSION, "no worker runs the room");
        post(live.room(), "interrupt", null)
                .statusCode(404).contentType(ContentType.fromContentType("application/problem+json"))
                .body("type", is("urn:switchboard:problem:unknown-session"))
                .body("commandStatus", is("UNKNOWN_SESSION"))
                .body("reason", is("no worker runs the room"));
    }

    @Test
    void withoutAResultInTimeTheAnswerIs202AndTheStatusFollowsTheLateResult() {
        Live live = live("pending");
        worker.stayQuiet(live.room());
        var accepted = post(given().queryParam("wait", "300ms"), live.room(), "context", Map.of("role", "user", "text", "Is it shipped?"))
                .statusCode(202).contentType(ContentType.JSON)
                .body("status", is("PENDING"))
                .body("decidedAt", nullValue())
                .extract();
        String commandId = accepted.path("commandId");
        assertThat((String) accepted.path("statusUrl")).isEqualTo("/v1/commands/" + commandId);
        assertThat(accepted.header("Location")).endsWith("/v1/commands/" + commandId);

        Api.command(commandId).statusCode(200).body("status", is("PENDING")).body("type", is("InjectContext"))
                .body("issuedAt", notNullValue()).body("expiresAt", notNullValue());

        SessionCommand command = worker.awaitCommand(commandId).value();
        worker.publishResult(command, CommandStatus.APPLIED, null);
        Api.awaitCommandStatus(commandId, "APPLIED");
        Api.command(commandId).body("workerId", is(worker.workerId()));
    }

    @Test
    void waitZeroAnswers202AtOnceAndTheCommandIsStillApplied() {
        Live live = live("nowait");
        // The worker answers within milliseconds: a 202 shows the request did not wait for it.
        String commandId = post(given().queryParam("wait", "0"), live.room(), "say", Map.of("text", "Hi"))
                .statusCode(202).body("status", is("PENDING")).extract().path("commandId");
        worker.awaitCommand(commandId);
        Api.awaitCommandStatus(commandId, "APPLIED");
    }

    @Test
    void aRoomWithoutAKnownSessionIs404() {
        String room = Api.newRoom("nobody");
        post(room, "context", Map.of("role", "system", "text", "hello?"))
                .statusCode(404).contentType(ContentType.fromContentType("application/problem+json"))
                .body("type", is("urn:switchboard:problem:session-not-found"))
                .body("title", is("No such session"))
                .body("status", is(404))
                .body("detail", is("no session is known for room \"" + room + "\""))
                .body("instance", is("/v1/sessions/" + room + "/context"))
                .body("room", is(room));
        Api.session(room).statusCode(404).contentType(ContentType.fromContentType("application/problem+json"));
    }

    @Test
    void anEndingSessionTakesOnlyAHangupAndAnEndedSessionNothing() {
        Live live = live("ending");
        worker.callEnded(live.room(), live.sessionId(), EndReason.CALLER_HANGUP, null);
        Api.awaitSession(live.room(), live.sessionId(), "ENDING");

        post(live.room(), "say", Map.of("text", "still there?"))
                .statusCode(409).body("type", is("urn:switchboard:problem:session-ending"))
                .body("detail", containsString("has ended (CALLER_HANGUP)"));
        // The call is already over: a hang-up succeeds at once, with how the call ended, and nothing is sent.
        post(live.room(), "hangup", Map.of("reason", "done"))
                .statusCode(200).body("status", is("APPLIED")).body("type", is("EndSession"))
                .body("callEnded.reason", is("CALLER_HANGUP"))
                .body("reason", containsString("already ended"));

        worker.endSession(live.room(), live.sessionId(), EndReason.CALLER_HANGUP);
        Api.awaitSession(live.room(), live.sessionId(), "ENDED");
        post(live.room(), "context", Map.of("role", "system", "text", "too late"))
                .statusCode(409).contentType(ContentType.fromContentType("application/problem+json"))
                .body("type", is("urn:switchboard:problem:session-ended"))
                .body("detail", containsString("session " + live.sessionId() + " of room \"" + live.room() + "\" has ended (CALLER_HANGUP"));
        post(live.room(), "hangup", null).statusCode(409).body("type", is("urn:switchboard:problem:session-ended"));

        // Barrier: a record on the worker's own topic published now; nothing the requests above sent comes before it.
        SessionCommand barrier = new Commands(Issuer.newBuilder().setKind(IssuerKind.SYSTEM).setId("test").build())
                .interrupt(live.room());
        TestProducer.send(worker.ownTopic(), live.room(), barrier);
        worker.awaitCommand(barrier.getCommandId());
        assertThat(worker.received(live.room())).containsExactly(barrier);
    }

    @Test
    void anIdempotencyKeyMakesARetryReturnTheFirstCommandInsteadOfPublishingAgain() {
        Live live = live("idempotent");
        String key = "retry-" + UUID.randomUUID();
        String first = post(given().header("Idempotency-Key", key), live.room(), "context", Map.of("role", "user", "text", "Once"))
                .statusCode(200).body("status", is("APPLIED")).extract().path("commandId");
        assertThat(first).isEqualTo(key);
        post(given().header("Idempotency-Key", key), live.room(), "context", Map.of("role", "user", "text", "Once"))
                .statusCode(200).body("commandId", is(key)).body("status", is("APPLIED"));

        // A pending command retried is not published twice either.
        worker.stayQuiet(live.room());
        String pendingKey = "pending-" + UUID.randomUUID();
        post(given().header("Idempotency-Key", pendingKey).queryParam("wait", "0"), live.room(), "say", Map.of("text", "Twice?"))
                .statusCode(202).body("commandId", is(pendingKey));
        post(given().header("Idempotency-Key", pendingKey).queryParam("wait", "0"), live.room(), "say", Map.of("text", "Twice?"))
                .statusCode(202).body("commandId", is(pendingKey));

        // The same key for another kind of command is a conflict, not a silent replay.
        post(given().header("Idempotency-Key", key), live.room(), "say", Map.of("text", "Other"))
                .statusCode(409).body("type", is("urn:switchboard:problem:idempotency-key-reused"))
                .body("detail", containsString("already used for the InjectContext command"));

        // Barrier: records of one room share a partition, so once this one arrived every earlier one has too.
        String barrier = post(given().queryParam("wait", "0"), live.room(), "interrupt", null).statusCode(202).extract().path("commandId");
        worker.awaitCommand(barrier);
        assertThat(worker.received(live.room()).stream().filter(c -> c.getCommandId().equals(key))).hasSize(1);
        assertThat(worker.received(live.room()).stream().filter(c -> c.getCommandId().equals(pendingKey))).hasSize(1);
    }

    @Test
    void anIdempotencyKeyReusedWithAnotherBodyIs409AndOnlyTheFirstRequestIsSent() {
        Live live = live("key-body");
        String key = "sk-" + UUID.randomUUID();
        post(given().header("Idempotency-Key", key), live.room(), "say", Map.of("text", "first text"))
                .statusCode(200).body("commandId", is(key)).body("status", is("APPLIED"));

        post(given().header("Idempotency-Key", key), live.room(), "say", Map.of("text", "DIFFERENT text"))
                .statusCode(409).contentType("application/problem+json")
                .body("type", is("urn:switchboard:problem:idempotency-key-reused"))
                .body("detail", containsString("already used for a different request"));
        // The same request again, written differently (spacing, key order), is a retry: the first answer.
        given().header("Idempotency-Key", key).contentType(ContentType.JSON).body("{ \"text\" :   \"first text\" }")
                .post("/v1/sessions/{room}/say", live.room()).then().statusCode(200).body("commandId", is(key))
                .body("status", is("APPLIED"));
        // Defaults count as what they are: an explicit default is the same request as leaving it out.
        String contextKey = "ck-" + UUID.randomUUID();
        post(given().header("Idempotency-Key", contextKey), live.room(), "context", Map.of("role", "user", "text", "hello"))
                .statusCode(200).body("status", is("APPLIED"));
        post(given().header("Idempotency-Key", contextKey), live.room(), "context", Map.of("role", "user", "text", "hello", "respond", false))
                .statusCode(200).body("commandId", is(contextKey));
        post(given().header("Idempotency-Key", contextKey), live.room(), "context", Map.of("role", "system", "text", "hello"))
                .statusCode(409).body("type", is("urn:switchboard:problem:idempotency-key-reused"));

        String barrier = post(given().queryParam("wait", "0"), live.room(), "interrupt", null).statusCode(202).extract().path("commandId");
        worker.awaitCommand(barrier);
        assertThat(worker.received(live.room()).stream().filter(c -> c.getCommandId().equals(key)))
                .singleElement().satisfies(c -> assertThat(((Say) c.getPayload()).getText()).isEqualTo("first text"));
        assertThat(worker.received(live.room()).stream().filter(c -> c.getCommandId().equals(contextKey))).hasSize(1);
    }

    @Test
    void anIdempotencyKeyIsPerTenantSoTheSameKeyFromAnotherTenantIsACommandOfItsOwn() {
        String acme = TestTokens.ofTenant("acme");
        String globex = TestTokens.ofTenant("globex");
        String acmeRoom = Api.newRoom("acme-room");
        Api.awaitSession(acmeRoom, worker.startSession(acmeRoom, "acme"), "LIVE");
        String globexRoom = Api.newRoom("globex-room");
        Api.awaitSession(globexRoom, worker.startSession(globexRoom, "globex"), "LIVE");
        String key = "shared-" + UUID.randomUUID();

        String acmeCommand = post(AuthAssertions.as(acme).header("Idempotency-Key", key), acmeRoom, "context",
                Map.of("role", "user", "text", "for acme")).statusCode(200).extract().path("commandId");
        var other = post(AuthAssertions.as(globex).header("Idempotency-Key", key), globexRoom, "say", Map.of("text", "for globex"))
                .statusCode(200).body("status", is("APPLIED")).extract();
        String globexCommand = other.path("commandId");
        assertThat(globexCommand).isNotEqualTo(acmeCommand);
        assertThat(other.asString()).doesNotContain(acmeRoom).doesNotContain("InjectContext");
        assertThat(worker.awaitCommand(globexCommand).value().getTenant()).isEqualTo("globex");

        // Each tenant's retry finds its own command; a tenant's other use of its key is still a conflict it is told about.
        post(AuthAssertions.as(acme).header("Idempotency-Key", key), acmeRoom, "context", Map.of("role", "user", "text", "for acme"))
                .statusCode(200).body("commandId", is(acmeCommand));
        post(AuthAssertions.as(globex).header("Idempotency-Key", key), globexRoom, "say", Map.of("text", "for globex"))
                .statusCode(200).body("commandId", is(globexCommand));
        post(AuthAssertions.as(globex).header("Idempotency-Key", key), globexRoom, "context", Map.of("role", "user", "text", "x"))
                .statusCode(409).body("detail", containsString("already used for the Say command on room \"" + globexRoom + "\""));
        assertThat(worker.received(acmeRoom).stream().filter(c -> c.getCommandId().equals(acmeCommand))).hasSize(1);
    }

    @Test
    void aCommandForAnOlderSessionOfTheRoomIsRefused() {
        Live live = live("reused");
        post(given().queryParam("sessionId", "an-older-session"), live.room(), "say", Map.of("text", "hi"))
                .statusCode(409).body("type", is("urn:switchboard:problem:not-current-session"))
                .body("detail", containsString("the current one is " + live.sessionId()));
        post(given().queryParam("sessionId", live.sessionId()), live.room(), "say", Map.of("text", "hi"))
                .statusCode(200).body("sessionId", is(live.sessionId()));
    }

    @Test
    void commandsAreCountedByTypeAndOutcomeWithTheirWaitTime() {
        Live live = live("metrics");
        worker.answerWith(live.room(), CommandStatus.REJECTED, "not now");
        post(live.room(), "instructions", Map.of("instructions", "Be kind.")).statusCode(409);
        post(Api.newRoom("metrics-missing"), "instructions", Map.of("instructions", "Be kind.")).statusCode(404);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern("switchboard_gateway_commands_total\\{[^}]*outcome=\"REJECTED\"[^}]*type=\"UpdateInstructions\"[^}]*} [1-9]")
                .containsPattern("switchboard_gateway_commands_total\\{[^}]*outcome=\"NO_SESSION\"[^}]*type=\"UpdateInstructions\"[^}]*} [1-9]")
                .containsPattern("switchboard_gateway_command_wait_seconds_count\\{[^}]*outcome=\"REJECTED\"[^}]*type=\"UpdateInstructions\"[^}]*} [1-9]")
                .contains("switchboard_gateway_sessions{")
                .contains("switchboard_gateway_commands_pending");
    }
}
