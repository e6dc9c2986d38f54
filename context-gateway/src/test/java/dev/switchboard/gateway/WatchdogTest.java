package dev.switchboard.gateway;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.Interrupt;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.TransferCall;
import dev.switchboard.gateway.support.Api;
import dev.switchboard.gateway.support.FakeWorker;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.schemas.serde.AuditRecordDeserializer;
import dev.switchboard.schemas.serde.CommandResultDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.TopicProbe;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.Arrays;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** Commands published straight to Kafka (as any system may) that no worker answers still get an answer. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class WatchdogTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration GRACE = Duration.ofSeconds(2);
    /** A short-lived command, so that "expired" comes within the test. */
    private static final Commands CRM = new Commands(dev.switchboard.events.Issuer.newBuilder()
            .setKind(IssuerKind.SYSTEM).setId("crm").build(), Duration.ofSeconds(1), Clock.systemUTC());
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

    private static TopicProbe<CommandResult> results() {
        return TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer());
    }

    private static TopicProbe<AuditRecord> audit() {
        return TopicProbe.fromNow(Topic.AUDIT, new AuditRecordDeserializer());
    }

    @Test
    void aCommandForARoomNoWorkerRunsIsAnsweredUnknownSessionAfterTheGraceAndAudited() {
        String room = Api.newRoom("ghost");
        try (var results = results(); var audit = audit()) {
            SessionCommand command = CRM.say(room, "anyone there?");
            TestProducer.send(Topic.SESSION_COMMANDS, room, command);

            var record = results.awaitRecord(r -> r.value().getCommandId().equals(command.getCommandId()), WAIT);
            assertThat(record.key()).isEqualTo(room);
            CommandResult result = record.value();
            assertThat(result.getStatus()).isEqualTo(CommandStatus.UNKNOWN_SESSION);
            assertThat(result.getReason()).isEqualTo("no worker runs room \"" + room + "\"");
            assertThat(result.getCommandType()).isEqualTo("Say");
            assertThat(result.getRoom()).isEqualTo(room);
            assertThat(result.getDecidedAt()).isAfterOrEqualTo(command.getIssuedAt().plus(GRACE));
            Api.command(command.getCommandId()).statusCode(200).body("status", is("UNKNOWN_SESSION"));

            // A command that reached no call is still a record of who tried what, under the command's issuer, without its text.
            var audited = audit.awaitRecord(r -> command.getCommandId().equals(r.value().getCommandId()), WAIT);
            assertThat(audited.key()).isEqualTo(room);
            AuditRecord trace = audited.value();
            assertThat(trace.getActor()).isEqualTo(command.getIssuer());
            assertThat(trace.getAction()).isEqualTo("Say");
            assertThat(trace.getOutcome()).isEqualTo("UNKNOWN_SESSION");
            assertThat(trace.getDetail()).isEqualTo(result.getReason());
            assertThat(trace.getOccurredAt()).isEqualTo(result.getDecidedAt());
            assertThat(trace.getTenant()).isEqualTo("default");
            assertThat(trace.getService()).isEqualTo("context-gateway");
            assertThat(trace.toString()).doesNotContain("anyone there?");
        }
    }

    @Test
    void theUnknownSessionAnswerComesOneGraceAfterTheCommandNotTwo() {
        // A broadcast command waits in the forwarder for its room's session, for the grace; the watchdog must not then
        // wait a second grace of its own before answering.
        String room = Api.newRoom("ghost-once");
        try (var results = results()) {
            SessionCommand command = CRM.say(room, "anyone there?");
            TestProducer.send(Topic.SESSION_COMMANDS, room, command);
            CommandResult result = results.awaitRecord(r -> r.value().getCommandId().equals(command.getCommandId()), WAIT).value();
            assertThat(result.getStatus()).isEqualTo(CommandStatus.UNKNOWN_SESSION);
            assertThat(result.getDecidedAt()).isAfterOrEqualTo(command.getIssuedAt().plus(GRACE))
                    .isBefore(command.getIssuedAt().plus(GRACE).plusMillis(1500));
        }
    }

    @Test
    void aCommandOfALiveRoomThatNobodyAnswersExpiresAfterExpiresAtPlusTheGraceAndIsAudited() {
        String room = Api.newRoom("silent");
        String sessionId = worker.startQuietSession(room, "acme");
        try (var results = results(); var audit = audit()) {
            SessionCommand command = CRM.interrupt(room);
            TestProducer.send(Topic.SESSION_COMMANDS, room, command);

            CommandResult result = results.await(r -> r.getCommandId().equals(command.getCommandId()), WAIT);
            assertThat(result.getStatus()).isEqualTo(CommandStatus.EXPIRED);
            assertThat(result.getReason()).isEqualTo("no worker answered before the command expired at " + command.getExpiresAt());
            assertThat(result.getSessionId()).isEqualTo(sessionId);
            assertThat(result.getDecidedAt()).isAfterOrEqualTo(command.getExpiresAt().plus(GRACE));

            AuditRecord record = audit.await(r -> command.getCommandId().equals(r.getCommandId()), WAIT);
            assertThat(record.getActor().getId()).isEqualTo("crm");
            assertThat(record.getAction()).isEqualTo("Interrupt");
            assertThat(record.getOutcome()).isEqualTo("EXPIRED");
            assertThat(result.getTenant()).as("the session's, as a worker names it").isEqualTo("acme");
            assertThat(record.getTenant()).isEqualTo("acme");
            assertThat(record.getRoom()).isEqualTo(room);
            assertThat(record.getSessionId()).isEqualTo(sessionId);
        }
    }

    @Test
    void anUnansweredTransferExpiresNamingBothWhoCouldHaveAnswered() {
        String room = Api.newRoom("silent-transfer");
        worker.startQuietSession(room, "acme");
        try (var results = results()) {
            // The worker takes a transfer and hands it to the call controller, which answers it: either may be silent.
            SessionCommand command = CRM.session(room, TransferCall.newBuilder().setTo("tel:+15551234567")
                    .setPlayDialtone(false).setAnnouncement(null).build());
            TestProducer.send(Topic.SESSION_COMMANDS, room, command);

            CommandResult result = results.await(r -> r.getCommandId().equals(command.getCommandId()), WAIT);
            assertThat(result.getStatus()).isEqualTo(CommandStatus.EXPIRED);
            assertThat(result.getCommandType()).isEqualTo("TransferCall");
            assertThat(result.getReason()).isEqualTo("neither the worker nor the call controller carrying out the transfer "
                    + "answered before it expired at " + command.getExpiresAt());
        }
    }

    @Test
    void aSessionThatStartsWithinTheGraceIsNotAnUnknownSession() {
        String room = Api.newRoom("late-start");
        worker.stayQuiet(room);
        try (var results = results()) {
            SessionCommand command = CRM.say(room, "welcome");
            TestProducer.send(Topic.SESSION_COMMANDS, room, command);
            worker.startSession(room); // right behind the command, well within the grace

            CommandResult result = results.await(r -> r.getCommandId().equals(command.getCommandId()), WAIT);
            assertThat(result.getStatus()).isEqualTo(CommandStatus.EXPIRED);
        }
    }

    /**
     * The call controller ends a session whose worker stopped answering with WORKER_LOST: nothing will answer the
     * commands sent to it, so they get their answer then (as a command sent to the ended session would), not when they
     * expire, both one sent straight to Kafka and one whose sender waits over HTTP.
     */
    @Test
    void theCommandsOfASessionWhoseWorkerIsLostAreAnsweredAtOnce() throws Exception {
        Commands longLived = new Commands(dev.switchboard.events.Issuer.newBuilder()
                .setKind(IssuerKind.SYSTEM).setId("crm").build(), Duration.ofSeconds(60), Clock.systemUTC());
        String room = Api.newRoom("lost");
        String sessionId = worker.startQuietSession(room, "default");
        try (var results = results()) {
            SessionCommand command = longLived.say(room, "still there?");
            TestProducer.send(Topic.SESSION_COMMANDS, room, command);
            worker.awaitCommand(command.getCommandId());
            var waiting = CompletableFuture.supplyAsync(() -> Api.post(io.restassured.RestAssured.given().queryParam("wait", "30s"),
                    room, "say", java.util.Map.of("text", "hello?")).extract());
            worker.awaitCommand(room, c -> c.getPayload() instanceof dev.switchboard.events.Say say && "hello?".equals(say.getText()));
            Thread.sleep(GRACE.plusSeconds(1).toMillis()); // past the watchdog's first look, which found the session live

            Instant lost = Instant.now();
            worker.endSession(room, sessionId, EndReason.WORKER_LOST);

            CommandResult result = results.await(r -> r.getCommandId().equals(command.getCommandId()), WAIT);
            assertThat(result.getStatus()).isEqualTo(CommandStatus.UNKNOWN_SESSION);
            assertThat(result.getReason()).startsWith("no worker runs room \"" + room + "\" (its last session " + sessionId + " ended at ");
            assertThat(result.getDecidedAt()).isBefore(lost.plusSeconds(10)).isBefore(command.getExpiresAt());
            Api.command(command.getCommandId()).statusCode(200).body("status", is("UNKNOWN_SESSION"));

            var answer = waiting.get(15, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(answer.asString()).isNotEqualTo(202);
            assertThat(answer.jsonPath().getString("commandStatus")).as(answer.asString()).isEqualTo("UNKNOWN_SESSION");
            assertThat(Duration.between(lost, Instant.now())).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void anAnsweredCommandIsNotAnsweredAgain() {
        String room = Api.newRoom("answered");
        String sessionId = worker.startSession(room);
        Api.awaitSession(room, sessionId, "LIVE");
        try (var results = results()) {
            SessionCommand command = CRM.say(room, "hello");
            TestProducer.send(Topic.SESSION_COMMANDS, room, command);
            assertThat(results.await(r -> r.getCommandId().equals(command.getCommandId()), WAIT).getStatus())
                    .isEqualTo(CommandStatus.APPLIED);

            // Past the moment the watchdog would have answered EXPIRED (expiresAt + grace), with a margin.
            Duration untilPastDeadline = Duration.between(Instant.now(), command.getExpiresAt().plus(GRACE).plusMillis(1500));
            var seen = results.drain(untilPastDeadline);
            assertThat(seen.stream().filter(r -> r.getCommandId().equals(command.getCommandId()))).hasSize(1);
        }
    }

    @Test
    void aCommandSentAgainWhenNoWorkerRunsItsRoomIsAnsweredAgainWithItsFirstDecision() {
        String room = Api.newRoom("retried");
        try (var results = results()) {
            SessionCommand command = CRM.say(room, "anyone there?");
            TestProducer.send(Topic.SESSION_COMMANDS, room, command);
            var first = results.awaitRecord(r -> r.value().getCommandId().equals(command.getCommandId()), WAIT);
            assertThat(first.value().getStatus()).isEqualTo(CommandStatus.UNKNOWN_SESSION);

            // A sender whose wait ran out sends the same record again: no worker will ever answer it.
            TestProducer.send(Topic.SESSION_COMMANDS, room, command);
            var again = results.awaitRecord(r -> r.value().getCommandId().equals(command.getCommandId()) && r.offset() != first.offset(), WAIT);
            assertThat(again.value()).as("the first decision, as it was").isEqualTo(first.value());
        }
    }

    @Test
    void aDecidedCommandsIdOnAnotherCommandIsDeadLetteredWhenNoWorkerRunsItsRoom() {
        String room = Api.newRoom("reused");
        try (var results = results(); var dlq = TopicProbe.fromNow(Topic.SESSION_COMMANDS_DLQ, new ByteArrayDeserializer())) {
            SessionCommand said = CRM.say(room, "anyone there?");
            TestProducer.send(Topic.SESSION_COMMANDS, room, said);
            assertThat(results.await(r -> r.getCommandId().equals(said.getCommandId()), WAIT).getStatus())
                    .isEqualTo(CommandStatus.UNKNOWN_SESSION);

            SessionCommand reused = CRM.session(said.getCommandId(), room, Interrupt.newBuilder().build(), Duration.ofSeconds(30));
            TestProducer.send(Topic.SESSION_COMMANDS, room, reused);

            var dead = dlq.awaitRecord(r -> room.equals(r.key()), WAIT);
            assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                    .isEqualTo("commandId " + said.getCommandId() + " was already used for another command (Say); use a new commandId for a new command");
            var seen = results.drain(GRACE.plusSeconds(2));
            assertThat(seen.stream().filter(r -> r.getCommandId().equals(said.getCommandId()))).as("no second result under the id").hasSize(1);
        }
    }

    @Test
    void anUndecodableCommandIsDeadLetteredAndTheWatchdogKeepsWorking() {
        String room = Api.newRoom("poison-command");
        try (var dlq = TopicProbe.fromNow(Topic.SESSION_COMMANDS_DLQ, new ByteArrayDeserializer());
             var results = results()) {
            byte[] poison = ("not a command " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
            TestProducer.sendRaw(Topic.SESSION_COMMANDS, room, poison);
            SessionCommand next = CRM.say(room, "after the poison");
            TestProducer.send(Topic.SESSION_COMMANDS, room, next);

            var dead = dlq.awaitRecord(r -> Arrays.equals(r.value(), poison), WAIT);
            assertThat(dead.key()).isEqualTo(room);
            assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8)).isNotBlank();
            assertThat(results.await(r -> r.getCommandId().equals(next.getCommandId()), WAIT).getStatus())
                    .isEqualTo(CommandStatus.UNKNOWN_SESSION);
        }
    }
}
