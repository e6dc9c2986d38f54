package dev.switchboard.gateway;

import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.ContextRole;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.gateway.support.Api;
import dev.switchboard.gateway.support.FakeWorker;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.schemas.serde.CommandResultDeserializer;
import dev.switchboard.schemas.serde.SessionCommandDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.auth.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static dev.switchboard.testing.auth.AuthAssertions.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * Directed delivery: a session's commands go to the topic its worker announced, so one worker reads them however many
 * run; commands that systems write to the broadcast topic are forwarded there, in order; a worker that reads the
 * broadcast topic still gets its commands there.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class DirectedDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Commands CRM = new Commands(Issuer.newBuilder().setKind(IssuerKind.SYSTEM).setId("crm").build());
    private static FakeWorker directed;
    private static FakeWorker broadcastReader;

    @BeforeAll
    static void startWorkers() {
        directed = FakeWorker.start();
        broadcastReader = FakeWorker.readingTheBroadcastTopic();
    }

    @AfterAll
    static void stopWorkers() {
        directed.close();
        broadcastReader.close();
    }

    @BeforeEach
    void gatewayIsReady() {
        Api.awaitReady();
    }

    @Test
    void anApiCommandGoesToTheTopicItsWorkerAnnouncedAndNeverToTheBroadcastTopic() {
        String room = Api.newRoom("directed");
        String sessionId = directed.startSession(room);
        Api.awaitSession(room, sessionId, "LIVE");
        try (var broadcast = TopicProbe.fromNow(Topic.SESSION_COMMANDS, new SessionCommandDeserializer())) {
            String commandId = Api.post(room, "context", Map.of("role", "system", "text", "VIP caller"))
                    .statusCode(200).body("status", is("APPLIED")).extract().path("commandId");

            var record = directed.awaitCommand(commandId);
            assertThat(record.topic()).isEqualTo(directed.ownTopic());
            assertThat(record.key()).isEqualTo(room);
            assertThat(broadcast.drain(Duration.ofMillis(500))).noneMatch(c -> c.getCommandId().equals(commandId));
        }
    }

    @Test
    void commandsWrittenToTheBroadcastTopicAreForwardedToTheWorkerInTheirOrder() {
        String room = Api.newRoom("forwarded");
        String sessionId = directed.startSession(room);
        Api.awaitSession(room, sessionId, "LIVE");
        try (var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer())) {
            List<SessionCommand> sent = new ArrayList<>();
            IntStream.range(0, 5).forEach(i -> sent.add(CRM.say(room, "line " + i)));
            sent.forEach(command -> TestProducer.send(Topic.SESSION_COMMANDS, room, command));

            for (SessionCommand command : sent) {
                assertThat(directed.awaitCommand(command.getCommandId()).topic()).isEqualTo(directed.ownTopic());
                CommandResult result = results.await(r -> r.getCommandId().equals(command.getCommandId()), WAIT);
                assertThat(result.getStatus()).isEqualTo(CommandStatus.APPLIED);
            }
            assertThat(directed.received(room)).as("forwarded once each, in the order they were written").isEqualTo(sent);
        }
    }

    @Test
    void aCommandWrittenJustBeforeItsSessionStartedIsForwardedOnceTheSessionIsKnown() {
        String room = Api.newRoom("early");
        SessionCommand early = CRM.say(room, "welcome");
        TestProducer.send(Topic.SESSION_COMMANDS, room, early);
        directed.startSession(room); // right behind the command, within the grace

        assertThat(directed.awaitCommand(early.getCommandId()).topic()).isEqualTo(directed.ownTopic());
        Api.awaitCommandStatus(early.getCommandId(), "APPLIED");
    }

    @Test
    void aWorkerThatReadsTheBroadcastTopicGetsItsCommandsThere() {
        String room = Api.newRoom("broadcast");
        String sessionId = broadcastReader.startSession(room);
        Api.awaitSession(room, sessionId, "LIVE");
        String commandId = Api.post(room, "say", Map.of("text", "hello"))
                .statusCode(200).body("status", is("APPLIED")).extract().path("commandId");

        assertThat(broadcastReader.awaitCommand(commandId).topic()).isEqualTo(Topic.SESSION_COMMANDS.topicName());
        assertThat(directed.received(room)).isEmpty();
    }

    @Test
    void aCommandSentStraightToAWorkersTopicThatNobodyAnswersExpires() {
        String room = Api.newRoom("straight");
        String sessionId = directed.startQuietSession(room, "default");
        Commands shortLived = new Commands(Issuer.newBuilder().setKind(IssuerKind.SYSTEM).setId("crm").build(),
                Duration.ofSeconds(1), java.time.Clock.systemUTC());
        try (var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer())) {
            SessionCommand command = shortLived.interrupt(room);
            TestProducer.send(directed.ownTopic(), room, command); // as the Java client does with SessionStarted.commandTopic

            CommandResult result = results.await(r -> r.getCommandId().equals(command.getCommandId()), WAIT);
            assertThat(result.getStatus()).as("the watchdog reads the workers' own topics too").isEqualTo(CommandStatus.EXPIRED);
            assertThat(result.getSessionId()).isEqualTo(sessionId);
        }
    }

    @Test
    void aCommandSentElsewhereIsPendingHereUntilItsResultForTheTenantOfItsSession() {
        // Two gateway replicas behind one Service: the statusUrl one of them answered may be asked of the other; and
        // systems write commands to the topics themselves.
        String room = Api.newRoom("elsewhere");
        String sessionId = directed.startQuietSession(room, "acme");
        SessionCommand command = CRM.say(room, "your order has shipped"); // names no tenant
        TestProducer.send(directed.ownTopic(), room, command);

        Awaitility.await("the command is known").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> as(TestTokens.ofTenant("acme")).get("/v1/commands/{id}", command.getCommandId()).statusCode() == 200);
        as(TestTokens.ofTenant("acme")).get("/v1/commands/{id}", command.getCommandId()).then()
                .body("status", is("PENDING")).body("type", is("Say")).body("room", is(room)).body("sessionId", is(sessionId))
                .body("issuer.id", is("crm"));
        as(TestTokens.ofTenant("globex")).get("/v1/commands/{id}", command.getCommandId()).then().statusCode(404);

        directed.publishResult(command, CommandStatus.APPLIED, null);
        Api.awaitCommandStatus(command.getCommandId(), "APPLIED");

        // The same for a command on the broadcast topic, for a worker that reads that one.
        String other = Api.newRoom("elsewhere-broadcast");
        broadcastReader.startQuietSession(other, "default");
        SessionCommand interrupt = CRM.interrupt(other);
        TestProducer.send(Topic.SESSION_COMMANDS, other, interrupt);
        Api.awaitCommandStatus(interrupt.getCommandId(), "PENDING");
    }

    @Test
    void aCommandWhoseResultIsReadFirstStillShowsWhoSentItAndItsDecision() {
        // A system's worker may answer before this instance reads the command (two consumers, each at its own pace).
        String room = Api.newRoom("result-first");
        String sessionId = directed.startQuietSession(room, "default");
        SessionCommand command = CRM.say(room, "answered before it is read");
        directed.publishResult(command, CommandStatus.APPLIED, null);
        Api.awaitCommandStatus(command.getCommandId(), "APPLIED");
        Api.command(command.getCommandId()).body("issuer", nullValue()); // the result alone does not say

        TestProducer.send(directed.ownTopic(), room, command);

        awaitIssuer(command.getCommandId(), "crm");
        Api.command(command.getCommandId()).statusCode(200)
                .body("status", is("APPLIED")).body("type", is("Say")).body("sessionId", is(sessionId))
                .body("issuer.kind", is("SYSTEM")).body("issuedAt", notNullValue()).body("expiresAt", notNullValue())
                .body("decidedAt", notNullValue());
        var listed = given().get("/v1/sessions/{room}/commands", room).then().statusCode(200).extract().jsonPath();
        assertThat(listed.getList("commands.commandId", String.class)).containsExactly(command.getCommandId());
        assertThat(listed.getString("commands[0].issuer.id")).isEqualTo("crm");
        assertThat(listed.getString("commands[0].status")).isEqualTo("APPLIED");

        // The usual order: pending with its issuer, then decided, still with it.
        SessionCommand next = CRM.interrupt(room);
        TestProducer.send(directed.ownTopic(), room, next);
        Api.awaitCommandStatus(next.getCommandId(), "PENDING");
        directed.publishResult(next, CommandStatus.REJECTED, "nothing to interrupt");
        Api.awaitCommandStatus(next.getCommandId(), "REJECTED");
        Api.command(next.getCommandId()).body("issuer.id", is("crm")).body("issuedAt", notNullValue())
                .body("expiresAt", notNullValue()).body("reason", is("nothing to interrupt"));
    }

    private static void awaitIssuer(String commandId, String issuerId) {
        Awaitility.await("command " + commandId + " shows its issuer").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> issuerId.equals(Api.command(commandId).extract().path("issuer.id")));
    }

    @Test
    void aRetryWithTheKeyOfACommandSentElsewhereIsAnsweredWithItAndNotSentAgain() {
        String room = Api.newRoom("retried-elsewhere");
        directed.startQuietSession(room, "default");
        // What another replica sends when it is given this request with an Idempotency-Key.
        String key = "retry-" + UUID.randomUUID();
        SessionCommand sentElsewhere = CRM.session(key, room, CRM.injectContext(room, ContextRole.SYSTEM, "VIP caller", false).getPayload(),
                Duration.ofSeconds(30), "default");
        TestProducer.send(directed.ownTopic(), room, sentElsewhere);
        Api.awaitCommandStatus(key, "PENDING");

        Api.post(given().header("Idempotency-Key", key).queryParam("wait", "0"), room, "context", Map.of("role", "system", "text", "VIP caller"))
                .statusCode(202).body("commandId", is(key));

        // The worker's topic keeps order: a command sent after the retry arrives behind any copy the retry sent.
        String nextId = Api.post(given().queryParam("wait", "0"), room, "say", Map.of("text", "next")).statusCode(202).extract().path("commandId");
        directed.awaitCommand(nextId);
        assertThat(directed.received(room)).filteredOn(c -> c.getCommandId().equals(key)).as("sent once, by the other replica").hasSize(1);
    }
}
