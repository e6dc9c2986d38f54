package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.events.CallFailureReason;
import dev.switchboard.events.EndReason;
import dev.switchboard.gateway.support.Api;
import dev.switchboard.gateway.support.CallEvents;
import dev.switchboard.gateway.support.FakeWorker;
import dev.switchboard.testing.http.SseClient;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.auth.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static dev.switchboard.testing.auth.AuthAssertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * The live stream the console watches ({@code GET /v1/stream}) and the per-call lists it starts from (events, commands):
 * sessions, events, commands and outbound calls arrive as they happen, only the token's tenant's, and a room's stream
 * starts with what is known of the room.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class LiveStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How often a stream gets a keep-alive line in tests (%test.switchboard.gateway.stream-keep-alive; 15 s by default). */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeWorker worker;

    @TestHTTPResource("/")
    URL base;

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

    private SseClient stream(String query, String token) throws Exception {
        return new SseClient(URI.create(base + "v1/stream" + query), token);
    }

    private record Received(String name, JsonNode data) {
    }

    /** Reads events until one matches; fails when none does in time. */
    private static Received until(SseClient client, Predicate<Received> match) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            SseClient.Event event = client.next(left);
            Received received = new Received(event.name(), event.data().startsWith("{") ? JSON.readTree(event.data()) : null);
            if (match.test(received)) {
                return received;
            }
        }
    }

    /** Every event up to and including "ready". */
    private static List<Received> snapshot(SseClient client) throws Exception {
        List<Received> seen = new ArrayList<>();
        Received received;
        do {
            received = until(client, any -> true);
            seen.add(received);
        } while (!received.name().equals("ready"));
        return seen;
    }

    private static Predicate<Received> session(String room, String state) {
        return r -> r.name().equals("session") && r.data().path("room").asText().equals(room) && r.data().path("state").asText().equals(state);
    }

    @Test
    void aCallsStartCommandsAndEndArriveAsTheyHappen() throws Exception {
        try (SseClient client = stream("", TestTokens.admin())) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.contentType()).startsWith("text/event-stream");
            snapshot(client);

            String room = Api.newRoom("stream");
            String sessionId = worker.startSession(room);
            Received started = until(client, session(room, "LIVE"));
            assertThat(started.data().path("sessionId").asText()).isEqualTo(sessionId);
            assertThat(started.data().path("callerNumber").asText()).isEqualTo("+15550100");
            Received event = until(client, r -> r.name().equals("event") && r.data().path("room").asText().equals(room));
            assertThat(event.data().path("type").asText()).isEqualTo("SessionStarted");
            assertThat(event.data().path("detail").asText()).contains("INBOUND SIMULATED call from +15550100");
            assertThat(client.otherFields()).as("fields beyond event, id and data").isEmpty();

            String commandId = Api.post(room, "context", Map.of("role", "system", "text", "Order 1042 shipped.")).statusCode(200)
                    .extract().path("commandId");
            Received pending = until(client, r -> r.name().equals("command") && r.data().path("commandId").asText().equals(commandId));
            assertThat(pending.data().path("type").asText()).isEqualTo("InjectContext");
            assertThat(pending.data().path("issuer").path("id").asText()).isEqualTo("test-admin");
            if (pending.data().path("status").asText().equals("PENDING")) {
                until(client, r -> r.name().equals("command") && r.data().path("commandId").asText().equals(commandId)
                        && r.data().path("status").asText().equals("APPLIED"));
            }

            worker.endSession(room, sessionId, EndReason.OPERATOR_HANGUP);
            Received ended = until(client, session(room, "ENDED"));
            assertThat(ended.data().path("endReason").asText()).isEqualTo("OPERATOR_HANGUP");
            Received endEvent = until(client, r -> r.name().equals("event") && r.data().path("type").asText().equals("SessionEnded"));
            assertThat(endEvent.data().path("reason").asText()).isEqualTo("OPERATOR_HANGUP");
        }
    }

    @Test
    void aRoomsStreamStartsWithItsSessionEventsAndCommandsAndShowsOnlyThatRoom() throws Exception {
        String room = Api.newRoom("snapshot");
        String sessionId = worker.startSession(room);
        Api.awaitSession(room, sessionId, "LIVE");
        String commandId = Api.post(room, "say", Map.of("text", "One moment please.")).statusCode(200).extract().path("commandId");
        String other = Api.newRoom("other");

        try (SseClient client = stream("?room=" + URLEncoder.encode(room, StandardCharsets.UTF_8), TestTokens.admin())) {
            List<Received> known = snapshot(client);
            assertThat(known).extracting(Received::name).startsWith("session").contains("event", "command").endsWith("ready");
            assertThat(known.stream().filter(r -> r.name().equals("command")).map(r -> r.data().path("commandId").asText() + " "
                    + r.data().path("status").asText())).containsExactly(commandId + " APPLIED");

            String otherSession = worker.startSession(other);
            Api.awaitSession(other, otherSession, "LIVE");
            worker.endSession(room, sessionId, EndReason.CALLER_HANGUP);
            Received next = until(client, r -> r.name().equals("session"));
            assertThat(next.data().path("room").asText()).as("another room's session is not sent").isEqualTo(room);
            assertThat(next.data().path("state").asText()).isEqualTo("ENDED");
        }

        var events = given().get("/v1/sessions/{room}/events", room).then().statusCode(200).extract().jsonPath();
        assertThat(events.getList("events.type", String.class)).containsExactly("SessionStarted", "SessionEnded");
        assertThat(events.getString("events[1].reason")).isEqualTo("CALLER_HANGUP");
        var commands = given().get("/v1/sessions/{room}/commands", room).then().statusCode(200).extract().jsonPath();
        assertThat(commands.getList("commands.commandId", String.class)).containsExactly(commandId);
        assertThat(commands.getString("commands[0].status")).isEqualTo("APPLIED");
        assertThat(commands.getString("commands[0].type")).isEqualTo("Say");
    }

    @Test
    void aRoomUsedAgainListsAndStreamsOnlyTheCommandsOfItsLatestSession() throws Exception {
        String room = Api.newRoom("reuse");
        String first = worker.startSession(room);
        Api.awaitSession(room, first, "LIVE");
        String injected = Api.post(room, "context", Map.of("role", "system", "text", "The order shipped."))
                .statusCode(200).extract().path("commandId");
        String hungUp = given().queryParam("wait", "0").contentType(ContentType.JSON).body(Map.of("immediate", true))
                .post("/v1/sessions/{room}/hangup", room).then().statusCode(202).extract().path("commandId");
        worker.callEnded(room, first, EndReason.OPERATOR_HANGUP, hungUp);
        worker.endSession(room, first, EndReason.OPERATOR_HANGUP);
        Api.awaitSession(room, first, "ENDED");
        assertThat(given().get("/v1/sessions/{room}/commands", room).then().statusCode(200).extract().jsonPath()
                .getList("commands.commandId", String.class)).as("the first call's, while it is the room's latest")
                .containsExactly(injected, hungUp);

        String second = worker.startSession(room);
        Api.awaitSession(room, second, "LIVE");
        var listed = given().get("/v1/sessions/{room}/commands", room).then().statusCode(200).extract().jsonPath();
        assertThat(listed.getList("commands.commandId", String.class)).as("nothing sent to the new call yet").isEmpty();
        String said = Api.post(room, "say", Map.of("text", "Hello again.")).statusCode(200).extract().path("commandId");

        listed = given().get("/v1/sessions/{room}/commands", room).then().statusCode(200).extract().jsonPath();
        assertThat(listed.getList("commands.commandId", String.class)).containsExactly(said);
        assertThat(listed.getString("commands[0].sessionId")).isEqualTo(second);
        try (SseClient client = stream("?room=" + URLEncoder.encode(room, StandardCharsets.UTF_8), TestTokens.admin())) {
            assertThat(snapshot(client)).filteredOn(r -> r.name().equals("command"))
                    .extracting(r -> r.data().path("commandId").asText()).containsExactly(said);
        }
    }

    @Test
    void aRoomsStreamShowsTheTokensTenantsEndedSessionOfARoomAnotherTenantReused() throws Exception {
        String room = Api.newRoom("reused");
        String acme = TestTokens.ofTenant("acme");
        String globex = TestTokens.ofTenant("globex");
        String acmeSession = worker.startSession(room, "acme");
        Api.awaitSession(room, acmeSession, "LIVE");
        worker.endSession(room, acmeSession, EndReason.CALLER_HANGUP);
        Api.awaitSession(room, acmeSession, "ENDED");
        String globexSession = worker.startSession(room, "globex");
        Api.awaitSession(room, globexSession, "LIVE");
        String query = "?room=" + URLEncoder.encode(room, StandardCharsets.UTF_8);

        try (SseClient client = stream(query, acme)) {
            List<Received> known = snapshot(client);
            assertThat(known).filteredOn(r -> r.name().equals("session")).extracting(r -> r.data().path("sessionId").asText()
                    + " " + r.data().path("state").asText()).containsExactly(acmeSession + " ENDED");
            assertThat(known).filteredOn(r -> r.name().equals("event")).extracting(r -> r.data().path("sessionId").asText())
                    .hasSize(2).containsOnly(acmeSession);
            // Globex's call goes on in the room: nothing of it reaches Acme.
            worker.endSession(room, globexSession, EndReason.CALLER_HANGUP);
            Api.awaitSession(room, globexSession, "ENDED");
            assertThatThrownBy(() -> client.next(Duration.ofMillis(500))).as("nothing of Globex's call")
                    .isInstanceOf(AssertionError.class).hasMessageContaining("no server-sent event");
        }
        try (SseClient client = stream(query, globex)) {
            List<Received> known = snapshot(client);
            assertThat(known).filteredOn(r -> r.name().equals("session")).extracting(r -> r.data().path("sessionId").asText())
                    .containsExactly(globexSession);
            assertThat(known).filteredOn(r -> r.name().equals("event")).extracting(r -> r.data().path("sessionId").asText())
                    .isNotEmpty().containsOnly(globexSession);
        }
    }

    @Test
    void aTokenSeesOnlyItsTenantsCalls() throws Exception {
        String ours = Api.newRoom("acme");
        String theirs = Api.newRoom("globex");
        String acme = TestTokens.ofTenant("acme");
        try (SseClient client = stream("", acme)) {
            List<Received> known = snapshot(client);
            assertThat(known).filteredOn(r -> r.name().equals("session"))
                    .allSatisfy(r -> assertThat(r.data().path("tenant").asText()).isEqualTo("acme"));
            worker.startSession(theirs, "globex");
            worker.startSession(ours, "acme");
            Received next = until(client, r -> r.name().equals("session"));
            assertThat(next.data().path("room").asText()).isEqualTo(ours);
        }
        given().header("Authorization", TestTokens.bearer(acme)).get("/v1/sessions/{room}/events", theirs)
                .then().statusCode(404).contentType(containsString("application/problem+json"));
        given().header("Authorization", TestTokens.bearer(acme)).get("/v1/sessions/{room}/commands", theirs)
                .then().statusCode(404);
        given().get("/v1/sessions/{room}/events", Api.newRoom("nobody")).then().statusCode(404)
                .body("type", is("urn:switchboard:problem:session-not-found"));
    }

    private static Predicate<Received> call(String room, String state) {
        return r -> r.name().equals("call") && r.data().path("room").asText().equals(room) && r.data().path("state").asText().equals(state);
    }

    /** A dial of the token's tenant, without waiting for its outcome; returns its commandId. */
    private static String dial(String token, String room, String to) {
        return as(token).queryParam("wait", "0").contentType(ContentType.JSON)
                .body(Map.of("to", to, "trunkId", "ST_streamTrunk", "room", room))
                .post("/v1/calls").then().statusCode(202).extract().path("commandId");
    }

    @Test
    void anOutboundCallIsSentAsItIsDialledAndFailsAndOnlyToItsTenant() throws Exception {
        String acme = TestTokens.ofTenant("acme");
        String globex = TestTokens.ofTenant("globex");
        String ours = Api.newRoom("dial-acme");
        String theirs = Api.newRoom("dial-globex");
        try (SseClient acmeStream = stream("", acme); SseClient globexStream = stream("", globex)) {
            snapshot(acmeStream);
            snapshot(globexStream);

            // A dial has no session while it rings: the stream tells of the call itself, as GET /v1/calls/{room} shows it.
            String commandId = dial(acme, ours, "+15551230090");
            Received dialing = until(acmeStream, call(ours, "DIALING"));
            assertThat(dialing.data().path("commandId").asText()).isEqualTo(commandId);
            assertThat(dialing.data().path("to").asText()).isEqualTo("+15551230090");
            assertThat(dialing.data().path("statusUrl").asText()).isEqualTo("/v1/calls/" + ours);

            CallEvents.failed(ours, commandId, "+15551230090", CallFailureReason.BUSY, 486, "Busy Here");
            Received failed = until(acmeStream, call(ours, "FAILED"));
            assertThat(failed.data().path("failure").path("reason").asText()).isEqualTo("BUSY");
            assertThat(failed.data().path("failure").path("sipStatusCode").asInt()).isEqualTo(486);
            assertThat(failed.data().path("failure").path("sipStatus").asText()).isEqualTo("Busy Here");
            assertThat(JSON.readTree(as(acme).get("/v1/calls/{room}", ours).then().statusCode(200).extract().asString()))
                    .as("the same document as the call's status URL").isEqualTo(failed.data());

            // The other tenant's stream heard nothing of it: the first call it is told of is its own.
            String theirCommand = dial(globex, theirs, "+15551230091");
            CallEvents.failed(theirs, theirCommand, "+15551230091", CallFailureReason.NO_ANSWER, null, null);
            List<Received> heard = new ArrayList<>();
            until(globexStream, r -> {
                heard.add(r);
                return r.name().equals("call") && r.data().path("room").asText().equals(theirs)
                        && r.data().path("state").asText().equals("FAILED");
            });
            assertThat(heard).filteredOn(r -> r.data() != null).extracting(r -> r.data().path("room").asText())
                    .as("rooms the other tenant's stream was told of").contains(theirs).doesNotContain(ours);
        }

        // A stream that starts later begins with the call, as it is now; the other tenant's does not, even asking for the room.
        try (SseClient later = stream("?room=" + URLEncoder.encode(ours, StandardCharsets.UTF_8), acme)) {
            assertThat(snapshot(later)).filteredOn(r -> r.name().equals("call")).singleElement()
                    .satisfies(r -> assertThat(r.data().path("state").asText()).isEqualTo("FAILED"));
        }
        try (SseClient everything = stream("", acme)) {
            assertThat(snapshot(everything)).filteredOn(r -> r.name().equals("call"))
                    .extracting(r -> r.data().path("room").asText()).contains(ours).doesNotContain(theirs);
        }
        try (SseClient nosy = stream("?room=" + URLEncoder.encode(ours, StandardCharsets.UTF_8), globex)) {
            assertThat(snapshot(nosy)).extracting(Received::name).containsExactly("ready");
        }
    }

    @Test
    void oneCallerMayHoldTwentyStreamsAndADroppedOneFreesItsPlace() throws Exception {
        String subject = "streamer-" + System.nanoTime();
        String token = TestTokens.token().subject(subject).sign();
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                SseClient client = stream("", token);
                open.add(client);
                assertThat(client.status()).as("stream %d", i + 1).isEqualTo(200);
            }
            // The limit is the caller's, not one token's: a fresh token of the same subject is refused too.
            try (SseClient refused = stream("", TestTokens.token().subject(subject).sign())) {
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.contentType()).startsWith("application/problem+json");
                assertThat(refused.header("Retry-After")).isEqualTo(Long.toString(KEEP_ALIVE.toSeconds()));
                JsonNode problem = JSON.readTree(refused.body(WAIT));
                assertThat(problem.path("type").asText()).isEqualTo("urn:switchboard:problem:too-many-streams");
                assertThat(problem.path("detail").asText()).startsWith("'" + subject + "' of tenant default already holds 20 open streams here");
            }
            // Another caller, even of the same tenant, is not held back by this one.
            try (SseClient other = stream("", TestTokens.token().subject(subject + "-other").sign())) {
                assertThat(other.status()).isEqualTo(200);
            }
            // A client that goes away frees its place once the stream notices (at its next keep-alive, 8 s at most here).
            open.removeFirst().close();
            long deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
            int status;
            do {
                try (SseClient again = stream("", token)) {
                    status = again.status();
                }
                if (status != 200) {
                    Thread.sleep(500);
                }
            } while (status != 200 && System.nanoTime() < deadline);
            assertThat(status).as("a place is free again").isEqualTo(200);
        } finally {
            open.forEach(SseClient::close);
        }
    }

    @Test
    void theStreamNeedsATokenWithCallsRead() throws Exception {
        try (SseClient client = stream("", null)) {
            assertThat(client.status()).isEqualTo(401);
        }
        try (SseClient client = stream("", TestTokens.token().without("calls:read").sign())) {
            assertThat(client.status()).isEqualTo(403);
            assertThat(client.contentType()).startsWith("application/problem+json");
        }
        given().queryParam("room", "r".repeat(300)).accept("text/event-stream").get("/v1/stream")
                .then().statusCode(400).contentType(containsString("application/problem+json"));
    }

    @Test
    void aTokenThatNeverExpiresOpensTheStream() throws Exception {
        // exp 9999-12-31, a common "never": further away than a timer's nanoseconds reach.
        String forever = TestTokens.token().expiresIn(Duration.between(Instant.now(), Instant.parse("9999-12-31T23:59:59Z"))).sign();
        try (SseClient client = stream("", forever)) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.contentType()).startsWith("text/event-stream");
            assertThat(client.closedByServerWithin(Duration.ofSeconds(1))).isFalse();
        }
    }

    @Test
    void theStreamEndsWhenItsTokenExpires() throws Exception {
        // A token's exp has whole seconds: it expires 2 to 3 s from now.
        String shortLived = TestTokens.token().expiresIn(Duration.ofSeconds(3)).sign();
        long opened = System.nanoTime();
        try (SseClient client = stream("", shortLived)) {
            assertThat(client.status()).isEqualTo(200);
            Received expired = until(client, r -> "expired".equals(r.name()));
            // Ended by its expiry, not at its first keep-alive (which would end an expired stream too).
            assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThan(Duration.ofSeconds(1)).isLessThan(KEEP_ALIVE);
            assertThat(expired.data().path("detail").asText()).contains("expired");
            assertThat(client.closedByServerWithin(WAIT)).isTrue();
        }
    }
}
