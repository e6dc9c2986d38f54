package dev.switchboard.gateway;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.EndReason;
import dev.switchboard.gateway.support.Api;
import dev.switchboard.gateway.support.FakeWorker;
import dev.switchboard.schemas.serde.AuditRecordDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.LogCapture;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.auth.AuthAssertions;
import dev.switchboard.testing.auth.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import dev.switchboard.testing.http.RawHttp;
import dev.switchboard.testing.http.Requests;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static dev.switchboard.testing.auth.AuthAssertions.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** Who may do what on the gateway: tokens, scopes and tenants, on every endpoint. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class GatewayAuthTest {
    private static FakeWorker worker;

    /** An endpoint: what it is called in failures, the scope it needs, and the call. */
    private record Endpoint(String name, String scope, Function<RequestSpecification, Response> call) {
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

    private static List<Endpoint> endpoints(String room, String commandId) {
        return List.of(
                new Endpoint("list sessions", "calls:read", r -> r.get("/v1/sessions")),
                new Endpoint("get a session", "calls:read", r -> r.get("/v1/sessions/{room}", room)),
                new Endpoint("command status", "calls:read", r -> r.get("/v1/commands/{id}", commandId)),
                new Endpoint("inject context", "calls:control", r -> post(r, room, "context", Map.of("role", "system", "text", "x"))),
                new Endpoint("say", "calls:control", r -> post(r, room, "say", Map.of("text", "x"))),
                new Endpoint("interrupt", "calls:control", r -> post(r, room, "interrupt", null)),
                new Endpoint("instructions", "calls:control", r -> post(r, room, "instructions", Map.of("instructions", "x"))),
                new Endpoint("hang up", "calls:control", r -> post(r, room, "hangup", Map.of("immediate", true))));
    }

    private static Response post(RequestSpecification request, String room, String command, Object body) {
        RequestSpecification spec = request.contentType(ContentType.JSON);
        return (body == null ? spec : spec.body(body)).post("/v1/sessions/{room}/" + command, room);
    }

    @Test
    void everyEndpointRefusesUnusableTokensAndMissingScopesWithoutLoggingAboveDebug() {
        String room = Api.newRoom("auth");
        String sessionId = worker.startSession(room);
        Api.awaitSession(room, sessionId, "LIVE");
        String commandId = Api.post(room, "say", Map.of("text", "hello")).statusCode(200).extract().path("commandId");
        try (LogCapture log = LogCapture.start()) {
            for (Endpoint endpoint : endpoints(room, commandId)) {
                AuthAssertions.refusesUnusableTokens(endpoint.name(), endpoint.call());
                AuthAssertions.needsScope(endpoint.name(), endpoint.scope(), endpoint.call());
            }
            assertThat(log.atLeast(LogCapture.WARN)).as(LogCapture.describe(log.all())).isEmpty();
        }
        // None of the refused commands reached Kafka: only the one say.
        assertThat(worker.received(room)).extracting(SessionCommand::getCommandId).containsExactly(commandId);
        // The right token gets the normal answers.
        as(TestTokens.token().scopes("calls:read").sign()).get("/v1/sessions/{room}", room).then().statusCode(200)
                .body("sessionId", is(sessionId)).body("tenant", is("default"));
        as(TestTokens.token().scopes("calls:read").sign()).get("/v1/commands/{id}", commandId).then().statusCode(200);
    }

    @Test
    void anotherTenantsSessionsAndCommandsDoNotExistForAToken() {
        String room = Api.newRoom("acme");
        String sessionId = worker.startSession(room, "acme");
        Api.awaitSession(room, sessionId, "LIVE"); // the admin token sees every tenant (tenants:all)
        String acme = TestTokens.ofTenant("acme");
        String globex = TestTokens.ofTenant("globex");

        String commandId = post(as(acme), room, "say", Map.of("text", "for acme")).then().statusCode(200)
                .body("issuer.tenant", is("acme")).extract().path("commandId");
        assertThat(worker.awaitCommand(commandId).value().getTenant()).isEqualTo("acme");

        as(globex).get("/v1/sessions/{room}", room).then().statusCode(404)
                .body("detail", is("no session is known for room \"" + room + "\""));
        as(globex).get("/v1/commands/{id}", commandId).then().statusCode(404);
        as(globex).get("/v1/sessions?all=true").then().statusCode(200).body("sessions.room", not(hasItem(room)));
        as(acme).get("/v1/sessions").then().statusCode(200).body("sessions.room", hasItem(room));
        for (String command : List.of("context", "say", "interrupt", "instructions", "hangup")) {
            Object body = switch (command) {
                case "context" -> Map.of("role", "system", "text", "x");
                case "say" -> Map.of("text", "x");
                case "instructions" -> Map.of("instructions", "x");
                case "hangup" -> Map.of("immediate", true);
                default -> null;
            };
            post(as(globex), room, command, body).then().statusCode(404)
                    .body("detail", is("no session is known for room \"" + room + "\""));
        }
        // The same Idempotency-Key from another tenant is a request of its own: no replay, and the room stays unknown to it.
        given().auth().oauth2(globex).header("Idempotency-Key", commandId).contentType(ContentType.JSON)
                .body(Map.of("text", "x")).post("/v1/sessions/{room}/say", room).then().statusCode(404)
                .body("detail", is("no session is known for room \"" + room + "\""));
        assertThat(worker.received(room)).extracting(SessionCommand::getCommandId).containsExactly(commandId);

        // An operator with tenants:all steers it, and the command goes out for the session's tenant.
        String operator = TestTokens.token().subject("ops-1").tenant("default").scopes("calls:control", "tenants:all").sign();
        String opCommand = post(as(operator), room, "say", Map.of("text", "from ops")).then().statusCode(200)
                .body("issuer.id", is("ops-1")).body("issuer.tenant", is("default")).extract().path("commandId");
        assertThat(worker.awaitCommand(opCommand).value().getTenant()).isEqualTo("acme");
    }

    @Test
    void anotherTenantsSessionStartedInARunningRoomTakesNothingFromItsTenant() {
        String room = Api.newRoom("contested");
        String acmeSession = worker.startSession(room, "acme");
        Api.awaitSession(room, acmeSession, "LIVE");
        String globexSession = worker.startSession(room, "globex");
        String acme = TestTokens.ofTenant("acme");
        String globex = TestTokens.ofTenant("globex");
        Awaitility.await().atMost(FakeWorker.WAIT).untilAsserted(() -> as(globex).get("/v1/sessions/{room}", room).then()
                .statusCode(200).body("sessionId", is(globexSession)));

        // Acme's call is still Acme's to see and steer; Globex reaches only its own session.
        as(acme).get("/v1/sessions/{room}", room).then().statusCode(200).body("sessionId", is(acmeSession)).body("state", is("LIVE"));
        String forAcme = post(as(acme), room, "say", Map.of("text", "for acme")).then().statusCode(200).extract().path("commandId");
        String forGlobex = post(as(globex), room, "say", Map.of("text", "for globex")).then().statusCode(200).extract().path("commandId");
        assertThat(worker.awaitCommand(forAcme).value().getTenant()).isEqualTo("acme");
        assertThat(worker.awaitCommand(forGlobex).value().getTenant()).isEqualTo("globex");

        // Each reads its own session's events only.
        Awaitility.await().atMost(FakeWorker.WAIT).untilAsserted(() -> assertThat(as(globex).get("/v1/sessions/{room}/events", room)
                .then().statusCode(200).extract().jsonPath().getList("events.sessionId", String.class)).containsExactly(globexSession));
        assertThat(as(acme).get("/v1/sessions/{room}/events", room).then().statusCode(200).extract().jsonPath()
                .getList("events.sessionId", String.class)).containsExactly(acmeSession);

        // Once Acme's session ends, the room's session is Globex's; Acme keeps the record of its call.
        worker.endSession(room, acmeSession, EndReason.CALLER_HANGUP);
        Api.awaitSession(room, globexSession, "LIVE");
        as(acme).get("/v1/sessions/{room}", room).then().statusCode(200).body("sessionId", is(acmeSession)).body("state", is("ENDED"));
        assertThat(as(acme).get("/v1/sessions/{room}/events", room).then().statusCode(200).extract().jsonPath()
                .getList("events.type", String.class)).containsExactly("SessionStarted", "SessionEnded");
        worker.endSession(room, globexSession, EndReason.CALLER_HANGUP);
        Api.awaitSession(room, globexSession, "ENDED");
        assertThat(as(globex).get("/v1/sessions/{room}/events", room).then().statusCode(200).extract().jsonPath()
                .getList("events.sessionId", String.class)).containsOnly(globexSession);
    }

    @Test
    void aRoomAnotherTenantReusesLeavesTheEndedSessionToItsOwnTenant() {
        String room = Api.newRoom("reused");
        String acme = TestTokens.ofTenant("acme");
        String globex = TestTokens.ofTenant("globex");
        String acmeSession = worker.startSession(room, "acme");
        Api.awaitSession(room, acmeSession, "LIVE");
        String forAcme = post(as(acme), room, "say", Map.of("text", "for acme")).then().statusCode(200).extract().path("commandId");
        worker.endSession(room, acmeSession, EndReason.CALLER_HANGUP);
        Api.awaitSession(room, acmeSession, "ENDED");
        String globexSession = worker.startSession(room, "globex");
        Api.awaitSession(room, globexSession, "LIVE");
        String forGlobex = post(as(globex), room, "say", Map.of("text", "for globex")).then().statusCode(200).extract().path("commandId");

        as(acme).get("/v1/sessions/{room}", room).then().statusCode(200)
                .body("sessionId", is(acmeSession)).body("state", is("ENDED")).body("tenant", is("acme"));
        as(globex).get("/v1/sessions/{room}", room).then().statusCode(200)
                .body("sessionId", is(globexSession)).body("state", is("LIVE"));
        as(acme).get("/v1/sessions?all=true").then().statusCode(200)
                .body("sessions.sessionId", hasItem(acmeSession)).body("sessions.sessionId", not(hasItem(globexSession)));
        as(globex).get("/v1/sessions?all=true").then().statusCode(200).body("sessions.sessionId", not(hasItem(acmeSession)));

        // Every per-room endpoint resolves the room as GET /v1/sessions/{room} does: Acme reads its ended call's events
        // and commands, Globex its own call's, and neither anything of the other's.
        var acmeEvents = as(acme).get("/v1/sessions/{room}/events", room).then().statusCode(200).extract().jsonPath();
        assertThat(acmeEvents.getList("events.type", String.class)).containsExactly("SessionStarted", "SessionEnded");
        assertThat(acmeEvents.getList("events.sessionId", String.class)).containsOnly(acmeSession);
        var globexEvents = as(globex).get("/v1/sessions/{room}/events", room).then().statusCode(200).extract().jsonPath();
        assertThat(globexEvents.getList("events.sessionId", String.class)).isNotEmpty().containsOnly(globexSession);
        assertThat(as(acme).get("/v1/sessions/{room}/commands", room).then().statusCode(200).extract().jsonPath()
                .getList("commands.commandId", String.class)).containsExactly(forAcme);
        assertThat(as(globex).get("/v1/sessions/{room}/commands", room).then().statusCode(200).extract().jsonPath()
                .getList("commands.commandId", String.class)).containsExactly(forGlobex);

        // A command to Acme's ended call is the documented 409, and reaches nobody's call.
        post(as(acme), room, "say", Map.of("text", "too late")).then().statusCode(409)
                .body("type", is("urn:switchboard:problem:session-ended"));
        post(as(acme), room, "hangup", Map.of("immediate", true)).then().statusCode(409)
                .body("type", is("urn:switchboard:problem:session-ended"));
        assertThat(worker.received(room)).extracting(SessionCommand::getCommandId).containsExactly(forAcme, forGlobex);
        // Globex's call is still Globex's to steer.
        post(as(globex), room, "say", Map.of("text", "still here")).then().statusCode(200);
    }

    @Test
    void aRequestWithoutATokenIs401WhateverElseIsWrongWithIt() {
        // Authentication comes before content negotiation: an anonymous caller learns that it needs a token, not which
        // media types an endpoint takes or offers.
        String room = Api.newRoom("anonymous");
        Map<String, Map<String, String>> headers = new java.util.LinkedHashMap<>();
        headers.put("no Content-Type", Map.of());
        headers.put("Content-Type text/plain", Map.of("Content-Type", "text/plain"));
        headers.put("a form", Map.of("Content-Type", "application/x-www-form-urlencoded"));
        headers.put("a Content-Type that is no media type", Map.of("Content-Type", "nonsense"));
        headers.put("Accept text/html", Map.of("Content-Type", "application/json", "Accept", "text/html"));
        headers.put("an Accept that is no media type", Map.of("Content-Type", "application/json", "Accept", "foo"));
        headers.put("an Accept that accepts nothing", Map.of("Content-Type", "application/json", "Accept", "*/*;q=0"));
        headers.put("a forged refusal", Map.of("Content-Type", "application/json", "X-Switchboard-Refused-Accept", "forged"));
        headers.forEach((what, sent) -> {
            for (String body : new String[] {null, "{\"text\": \"hello\"}"}) {
                RawHttp.Answer answer = RawHttp.send(RestAssured.port,
                        Requests.of("POST", "/v1/sessions/" + room + "/say", sent, body), Duration.ofSeconds(10));
                assertThat(answer.status()).as(what + (body == null ? ", no body: " : ", a body: ") + answer.body()).isEqualTo(401);
                assertThat(answer.headers().get("www-authenticate")).as(what).startsWith("Bearer");
                assertThat(answer.contentType()).as(what).startsWith("application/problem+json");
            }
        });
        RawHttp.Answer read = RawHttp.send(RestAssured.port, Requests.get("/v1/sessions/" + room, Map.of("Accept", "text/html")),
                Duration.ofSeconds(10));
        assertThat(read.status()).as(read.body()).isEqualTo(401);
        RawHttp.Answer malformed = RawHttp.send(RestAssured.port, Requests.get("/v1/sessions/" + room, Map.of("Accept", "foo")),
                Duration.ofSeconds(10));
        assertThat(malformed.status()).as(malformed.body()).isEqualTo(401);
        // With a token, what is wrong with the request is said.
        RawHttp.Answer unreadable = RawHttp.send(RestAssured.port, Requests.get("/v1/sessions",
                Map.of("Authorization", TestTokens.bearer(TestTokens.admin()), "Accept", "foo")), Duration.ofSeconds(10));
        assertThat(unreadable.status()).as(unreadable.body()).isEqualTo(406);
        assertThat(unreadable.body()).contains("the Accept header (foo) holds no media type such as application/json");
        RawHttp.Answer unsupported = RawHttp.send(RestAssured.port, Requests.of("POST", "/v1/sessions/" + room + "/say",
                Map.of("Authorization", TestTokens.bearer(TestTokens.admin()), "Content-Type", "text/plain"), "hello"),
                Duration.ofSeconds(10));
        assertThat(unsupported.status()).as(unsupported.body()).isEqualTo(415);
    }

    @Test
    void aMachineTokenWithoutSubjectActsAsItsClient() {
        String room = Api.newRoom("machine");
        Api.awaitSession(room, worker.startSession(room, "acme"), "LIVE");
        String machine = TestTokens.token().subject(null).claim("azp", "billing-service").tenant("acme")
                .scopes("calls:control", "calls:read").sign();
        String commandId = post(as(machine), room, "say", Map.of("text", "from a machine")).then().statusCode(200)
                .body("issuer.id", is("billing-service")).body("issuer.tenant", is("acme")).extract().path("commandId");
        assertThat(worker.awaitCommand(commandId).value().getIssuer().getId()).isEqualTo("billing-service");
        // A token that names nobody at all is still refused.
        String nobody = TestTokens.token().subject(null).tenant("acme").scopes("calls:read").sign();
        as(nobody).get("/v1/sessions").then().statusCode(401);
    }

    @Test
    void healthMetricsAndTheAsyncApiContractStayOpen() {
        given().filter(TestTokens.withoutToken()).get("/q/health/live").then().statusCode(200);
        given().filter(TestTokens.withoutToken()).get("/q/metrics").then().statusCode(200);
        given().filter(TestTokens.withoutToken()).get("/asyncapi.yaml").then().statusCode(200);
    }

    @Test
    void aRequestRefusedForAMissingScopeIsAuditedOnceAMinuteWithWhoTriedIt() {
        String subject = "intruder-" + UUID.randomUUID().toString().substring(0, 8);
        String reader = TestTokens.token().subject(subject).tenant("acme").scopes("calls:read").sign();
        try (var audit = TopicProbe.fromNow(Topic.AUDIT, new AuditRecordDeserializer())) {
            for (int attempt = 0; attempt < 3; attempt++) {
                as(reader).contentType(ContentType.JSON).body(Map.of("text", "transfer all the money"))
                        .post("/v1/sessions/{room}/say", "someone-elses-call").then().statusCode(403);
            }

            AuditRecord refused = audit.await(r -> r.getActor().getId().equals(subject), Duration.ofSeconds(10));
            assertThat(refused.getAction()).isEqualTo("AccessRefused");
            assertThat(refused.getOutcome()).isEqualTo("REFUSED");
            assertThat(refused.getTenant()).isEqualTo("acme");
            assertThat(refused.getService()).isEqualTo("context-gateway");
            assertThat(refused.getDetail()).isEqualTo("POST /v1/sessions/{room}/say needs the scope calls:control");
            assertThat(audit.drain(Duration.ofSeconds(1))).as("one record for the three attempts")
                    .filteredOn(r -> r.getActor().getId().equals(subject)).hasSize(1);
        }
    }

    @Test
    void aCommandRefusedBeforeItWasPublishedIsAuditedUnderTheCallerWithNoMoreThanTheCallerWasTold() {
        String room = Api.newRoom("acme-probed");
        Api.awaitSession(room, worker.startSession(room, "acme"), "LIVE");
        String subject = "prober-" + UUID.randomUUID().toString().substring(0, 8);
        String globex = TestTokens.token().subject(subject).tenant("globex").scopes("calls:control").sign();
        try (var audit = TopicProbe.fromNow(Topic.AUDIT, new AuditRecordDeserializer())) {
            for (int attempt = 0; attempt < 3; attempt++) {
                post(as(globex), room, "say", Map.of("text", "transfer all the money")).then().statusCode(404);
            }
            String empty = Api.newRoom("nobody-here");
            post(as(globex), empty, "hangup", Map.of("immediate", true)).then().statusCode(404);

            AuditRecord probed = audit.await(r -> r.getActor().getId().equals(subject) && r.getAction().equals("Say"), Duration.ofSeconds(10));
            assertThat(probed.getOutcome()).isEqualTo("REFUSED");
            assertThat(probed.getTenant()).as("the caller's trail, not the call owner's").isEqualTo("globex");
            assertThat(probed.getRoom()).isEqualTo(room);
            assertThat(probed.getService()).isEqualTo("context-gateway");
            assertThat(probed.getDetail()).as("the 404's words: that the room is another tenant's is not told")
                    .isEqualTo("no session is known for room \"" + room + "\"");
            AuditRecord hangup = audit.await(r -> r.getActor().getId().equals(subject) && r.getAction().equals("HangupRequested"),
                    Duration.ofSeconds(10));
            assertThat(hangup.getRoom()).isEqualTo(empty);
            assertThat(audit.drain(Duration.ofSeconds(1))).as("one record for the three attempts to say something")
                    .filteredOn(r -> r.getActor().getId().equals(subject) && r.getAction().equals("Say")).hasSize(1);
        }
        assertThat(worker.received(room)).as("nothing reached the call").isEmpty();
    }

    @Test
    void aCallerTryingRoomAfterRoomCannotFloodTheAuditTrail() {
        String subject = "scanner-" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestTokens.token().subject(subject).tenant("globex").scopes("calls:control").sign();
        try (var audit = TopicProbe.fromNow(Topic.AUDIT, new AuditRecordDeserializer())) {
            for (int attempt = 0; attempt < 40; attempt++) {
                post(as(token), Api.newRoom("scan-" + attempt), "interrupt", null).then().statusCode(404);
            }
            audit.await(r -> r.getActor().getId().equals(subject), Duration.ofSeconds(10));
            assertThat(audit.drain(Duration.ofSeconds(2))).as("30 a minute, however many rooms it tries")
                    .filteredOn(r -> r.getActor().getId().equals(subject)).hasSize(30);
        }
    }

    @Test
    void aTokenWithAClaimNestedThousandsDeepIsNeverAServerError() {
        // Only a trusted key can sign one, but the verifier's JSON parser recurses per level: the request must end in an
        // answer (accepted, or refused as unreadable), never in a 500 and a thousand-line stack trace. 6,000 levels keep
        // the header under the HTTP server's 20 KB limit.
        String token = TestTokens.signWithRawClaims("\"x\":" + "[".repeat(6_000) + "]".repeat(6_000));
        try (LogCapture log = LogCapture.start()) {
            Response response = as(token).get("/v1/sessions");
            assertThat(response.statusCode()).as(response.asString()).isIn(200, 401);
            assertThat(log.atLeast(LogCapture.WARN)).as(LogCapture.describe(log.all())).isEmpty();
            assertThat(log.withStackTrace()).as(LogCapture.describe(log.all())).isEmpty();
        }
    }

    @Test
    void scopesAreReadFromScpAndGroupsToo() {
        for (String claim : List.of("scp", "groups")) {
            as(TestTokens.token().scopeClaim(claim).scopes("calls:read").sign()).get("/v1/sessions").then().statusCode(200);
            as(TestTokens.token().scopeClaim(claim).scopes("calls:control").sign()).get("/v1/sessions").then().statusCode(403);
        }
    }
}
