package dev.switchboard.worker.simulated;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.ContextRole;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.InjectContext;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.Say;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.events.SpeakerRole;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.events.Transport;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.schemas.serde.CallControlRequestDeserializer;
import dev.switchboard.schemas.serde.CommandResultDeserializer;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.serde.TranscriptSegmentDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.SharedInfrastructure;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.llm.FakeLlmControl;
import dev.switchboard.testing.llm.FakeLlmResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Simulated calls through the whole worker: HTTP in, a real Kafka broker for commands and events, a fake OpenAI-compatible LLM. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLlmResource.class, scope = TestResourceScope.GLOBAL)
class SimulatedCallTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final Commands crm = new Commands(new Issuer(IssuerKind.SYSTEM, "crm", null, null));
    private FakeLlmControl llm;

    @BeforeEach
    void resetLlm() {
        llm = new FakeLlmControl(ConfigProvider.getConfig().getValue("switchboard.llm.base-url", String.class));
        llm.reset();
    }

    private static String newRoom() {
        return "room-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String startCall(String room) {
        return given().contentType(ContentType.JSON).body(Map.of("room", room, "instructions", "You are a test agent."))
                .post("/v1/simulated-calls").then().statusCode(201)
                .body("room", equalTo(room)).body("state", equalTo("ACTIVE"))
                .extract().path("sessionId");
    }

    private static io.restassured.response.ValidatableResponse say(String room, String text) {
        return given().contentType(ContentType.JSON).body(Map.of("text", text)).post("/v1/simulated-calls/{room}/utterances", room).then();
    }

    @Test
    void aCallIsAnnouncedAndEachTurnIsTranscribed() {
        String room = newRoom();
        try (var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
             var transcripts = TopicProbe.fromNow(Topic.TRANSCRIPTS, new TranscriptSegmentDeserializer())) {
            String sessionId = startCall(room);
            llm.replyText("Hello! How can I help?");

            say(room, "Hi, I have a question").statusCode(200)
                    .body("replies[0]", equalTo("Hello! How can I help?")).body("ended", equalTo(false));

            SessionEvent started = events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof SessionStarted, WAIT);
            assertThat(started.getSessionId()).isEqualTo(sessionId);
            assertThat(((SessionStarted) started.getPayload()).getTransport()).isEqualTo(Transport.SIMULATED);
            var agentLine = transcripts.awaitRecord(r -> room.equals(r.key()) && r.value().getRole() == SpeakerRole.AGENT, WAIT);
            var callerLine = transcripts.await(s -> room.equals(s.getRoom()) && s.getRole() == SpeakerRole.USER, WAIT);
            assertThat(callerLine.getText()).isEqualTo("Hi, I have a question");
            assertThat(agentLine.value().getText()).isEqualTo("Hello! How can I help?");
            assertThat(agentLine.value().getSequence()).isEqualTo(callerLine.getSequence() + 1);
            assertThat(llm.lastMessages().getFirst().path("content").asText()).isEqualTo("You are a test agent.");
        }
    }

    @Test
    void injectedContextIsAppliedReportedTranscribedAndSeenByTheNextLlmRequest() {
        String room = newRoom();
        startCall(room);
        try (var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer());
             var transcripts = TopicProbe.fromNow(Topic.TRANSCRIPTS, new TranscriptSegmentDeserializer())) {
            SessionCommand inject = crm.injectContext(room, ContextRole.SYSTEM, "The caller's order 42 shipped today.", false);
            TestProducer.send(OwnCommandTopic.name(), room, inject);

            var first = results.awaitRecord(r -> r.value().getCommandId().equals(inject.getCommandId()), WAIT);
            assertThat(first.value().getStatus()).isEqualTo(CommandStatus.APPLIED);
            TranscriptSegment injected = transcripts.await(s -> room.equals(s.getRoom()) && s.getRole() == SpeakerRole.INJECTED, WAIT);
            assertThat(injected.getInjectedBy().getId()).isEqualTo("crm");
            assertThat(injected.getText()).isEqualTo("The caller's order 42 shipped today.");

            llm.replyText("It shipped today.");
            say(room, "Where is my order?").statusCode(200);
            assertThat(llm.lastMessages()).anySatisfy(m -> {
                assertThat(m.path("role").asText()).isEqualTo("system");
                assertThat(m.path("content").asText()).isEqualTo("The caller's order 42 shipped today.");
            });

            // A redelivered command is answered again but not applied again.
            TestProducer.send(OwnCommandTopic.name(), room, inject);
            var again = results.awaitRecord(r -> r.value().getCommandId().equals(inject.getCommandId()) && r.offset() > first.offset(), WAIT);
            assertThat(again.value()).isEqualTo(first.value());
            llm.replyText("Anything else?");
            say(room, "ok").statusCode(200);
            assertThat(llm.lastMessages()).filteredOn(m -> m.path("content").asText().contains("order 42")).hasSize(1);
        }
    }

    @Test
    void theWorkerAnnouncesItsOwnCommandTopicAndReadsNoOtherCommands() throws Exception {
        String room = newRoom();
        String ownTopic = OwnCommandTopic.name();
        assertThat(ownTopic).startsWith("switchboard.session-commands.worker.");
        try (var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
             var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer());
             Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers()))) {
            startCall(room);
            SessionEvent started = events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof SessionStarted, WAIT);
            assertThat(((SessionStarted) started.getPayload()).getCommandTopic()).isEqualTo(ownTopic);
            var description = admin.describeTopics(List.of(ownTopic)).allTopicNames().get(30, TimeUnit.SECONDS).get(ownTopic);
            assertThat(description.partitions()).as("one reader, one partition").hasSize(1);

            // The broadcast topic is the gateway's to forward from: this worker never reads it, even for its own room.
            SessionCommand broadcast = crm.injectContext(room, ContextRole.SYSTEM, "via the broadcast topic", false);
            TestProducer.send(Topic.SESSION_COMMANDS, room, broadcast);
            SessionCommand directed = crm.injectContext(room, ContextRole.SYSTEM, "via the worker's topic", false);
            TestProducer.send(ownTopic, room, directed);
            assertThat(results.await(r -> r.getCommandId().equals(directed.getCommandId()), WAIT).getStatus()).isEqualTo(CommandStatus.APPLIED);
            assertThat(results.drain(Duration.ofSeconds(1))).noneMatch(r -> r.getCommandId().equals(broadcast.getCommandId()));
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            // What it read is counted, to compare with what it applied (a sample may carry an exemplar after its value).
            assertThat(metrics).containsPattern("(?m)^switchboard_worker_commands_read_total(\\{[^}]*})? [1-9]");
        }
    }

    @Test
    void commandsForRoomsThisWorkerDoesNotRunAreLeftToOthersAndExpiredOnesAreNotApplied() {
        String room = newRoom();
        startCall(room);
        try (var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer())) {
            SessionCommand elsewhere = crm.injectContext("not-here-" + room, ContextRole.SYSTEM, "x", false);
            SessionCommand expired = crm.session(Commands.newCommandId(), room,
                    dev.switchboard.events.InjectContext.newBuilder().setRole(ContextRole.SYSTEM).setText("late").build(), Duration.ofMillis(1));
            TestProducer.send(OwnCommandTopic.name(), "not-here-" + room, elsewhere);
            TestProducer.send(OwnCommandTopic.name(), room, expired);

            assertThat(results.await(r -> r.getCommandId().equals(expired.getCommandId()), WAIT).getStatus()).isEqualTo(CommandStatus.EXPIRED);
            assertThat(results.drain(Duration.ofSeconds(1))).noneMatch(r -> r.getCommandId().equals(elsewhere.getCommandId()));
        }
    }

    @Test
    void theLlmHangsUpTheControllerConfirmsAndTheSessionEndsAfterItsLastLines() {
        String room = newRoom();
        String sessionId = startCall(room);
        try (var control = TopicProbe.fromNow(Topic.CALL_CONTROL, new CallControlRequestDeserializer());
             var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
             var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer());
             var transcripts = TopicProbe.fromNow(Topic.TRANSCRIPTS, new TranscriptSegmentDeserializer())) {
            llm.replyWithTool("Glad I could help. Goodbye!", "end_call", Map.of("reason", "question answered"));

            say(room, "Thanks, that's all").statusCode(200)
                    .body("replies[0]", equalTo("Glad I could help. Goodbye!"))
                    .body("ended", equalTo(true)).body("state", equalTo("ENDING"));

            CallControlRequest request = control.await(r -> room.equals(r.getRoom()), WAIT);
            HangupRequested hangup = (HangupRequested) request.getPayload();
            assertThat(hangup.getReason()).isEqualTo(EndReason.AGENT_HANGUP);
            assertThat(hangup.getDetail()).isEqualTo("question answered");
            assertThat(hangup.getTransport()).isEqualTo(Transport.SIMULATED);
            assertThat(hangup.getSessionId()).isEqualTo(sessionId);
            assertThat(request.getIssuer().getKind()).isEqualTo(IssuerKind.LLM);

            say(room, "wait, one more thing").statusCode(409).contentType("application/problem+json")
                    .body("detail", containsString("ending")).body("type", equalTo("urn:switchboard:problem:session-ending"));
            SessionCommand late = crm.injectContext(room, ContextRole.SYSTEM, "too late", false);
            TestProducer.send(OwnCommandTopic.name(), room, late);
            assertThat(results.await(r -> r.getCommandId().equals(late.getCommandId()), WAIT).getStatus()).isEqualTo(CommandStatus.REJECTED);

            // The call controller confirms; the worker ends the session.
            TestProducer.send(Topic.SESSION_EVENTS, room, callEnded(room, sessionId, request));
            SessionEvent ended = events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof SessionEnded, WAIT);
            SessionEnded summary = (SessionEnded) ended.getPayload();
            assertThat(summary.getReason()).isEqualTo(EndReason.AGENT_HANGUP);
            assertThat(summary.getUsage().getLlmRequests()).isEqualTo(1);
            assertThat(summary.getUsage().getLlmPromptTokens()).isEqualTo(42);
            // Published before SessionEnded, so already on the topic.
            transcripts.await(s -> room.equals(s.getRoom()) && s.getRole() == SpeakerRole.AGENT, Duration.ofSeconds(5));
            assertThat(transcripts.drain(Duration.ZERO)).filteredOn(s -> room.equals(s.getRoom()))
                    .extracting(s -> s.getRole() + ":" + s.getText())
                    .containsExactly("USER:Thanks, that's all", "AGENT:Glad I could help. Goodbye!");
            given().get("/v1/simulated-calls/{room}", room).then().statusCode(200).body("state", equalTo("ENDED"));
            // Usage is on /q/metrics too, for cost dashboards.
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(metrics).contains("switchboard_worker_usage_llm_tokens_total{kind=\"prompt\"}")
                    .contains("switchboard_worker_usage_tts_characters_total");
        }
    }

    private static SessionEvent callEnded(String room, String sessionId, CallControlRequest request) {
        return SessionEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setRoom(room).setSessionId(sessionId)
                .setOccurredAt(Instant.now()).setSource("test-controller")
                .setPayload(CallEnded.newBuilder().setReason(EndReason.AGENT_HANGUP).setEndedBy(request.getIssuer())
                        .setHangupCommandId(request.getCommandId()).setMethod(HangupMethod.NOT_NEEDED).build())
                .build();
    }

    @Test
    void theCallerHangingUpEndsTheSession() {
        String room = newRoom();
        startCall(room);
        try (var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer())) {
            given().delete("/v1/simulated-calls/{room}", room).then().statusCode(204);
            SessionEnded ended = (SessionEnded) events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof SessionEnded, WAIT).getPayload();
            assertThat(ended.getReason()).isEqualTo(EndReason.CALLER_HANGUP);
            assertThat(ended.getEndedBy().getKind()).isEqualTo(IssuerKind.CALLER);
        }
    }

    @Test
    void aPoisonCommandIsDeadLetteredAndTheNextOneStillApplied() {
        String room = newRoom();
        startCall(room);
        try (var dlq = TopicProbe.fromNow(Topic.SESSION_COMMANDS_DLQ, new ByteArrayDeserializer());
             var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer())) {
            byte[] poison = "definitely not avro".getBytes();
            TestProducer.sendRaw(OwnCommandTopic.name(), room, poison);
            SessionCommand next = crm.injectContext(room, ContextRole.USER, "still alive?", false);
            TestProducer.send(OwnCommandTopic.name(), room, next);

            var dead = dlq.awaitRecord(r -> room.equals(r.key()), WAIT);
            assertThat(dead.value()).isEqualTo(poison);
            // A worker's own topic has no dead-letter twin of its own: the broadcast topic's says where it came from.
            assertThat(new String(dead.headers().lastHeader("dead-letter-topic").value())).isEqualTo(OwnCommandTopic.name());
            assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value())).isNotBlank();
            assertThat(results.await(r -> r.getCommandId().equals(next.getCommandId()), WAIT).getStatus()).isEqualTo(CommandStatus.APPLIED);
        }
    }

    @Test
    void aCommandIdReusedForAnotherCommandIsDeadLetteredWithoutASecondResult() {
        String room = newRoom();
        startCall(room);
        String commandId = "c-dup-" + room;
        try (var dlq = TopicProbe.fromNow(Topic.SESSION_COMMANDS_DLQ, new ByteArrayDeserializer());
             var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer())) {
            var inject = InjectContext.newBuilder().setRole(ContextRole.SYSTEM).setText("A premium customer.").build();
            TestProducer.send(OwnCommandTopic.name(), room, crm.session(commandId, room, inject, Duration.ofSeconds(30)));
            var say = Say.newBuilder().setText("Please hold the line.").build();
            TestProducer.send(OwnCommandTopic.name(), room, crm.session(commandId, room, say, Duration.ofSeconds(30)));
            SessionCommand next = crm.interrupt(room);
            TestProducer.send(OwnCommandTopic.name(), room, next);

            var dead = dlq.awaitRecord(r -> room.equals(r.key()), WAIT);
            assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value())).isEqualTo("commandId " + commandId
                    + " was already used for another command (InjectContext); use a new commandId for a new command");
            var answers = results.drain(Duration.ofSeconds(3)).stream().filter(r -> room.equals(r.getRoom())).toList();
            // One result for the id, the first command's; the commands after the refused one are still applied.
            assertThat(answers).filteredOn(r -> r.getCommandId().equals(commandId)).singleElement()
                    .satisfies(r -> assertThat(r.getCommandType()).isEqualTo("InjectContext"));
            assertThat(answers).filteredOn(r -> r.getCommandId().equals(next.getCommandId())).isNotEmpty();
        }
    }

    @Test
    void aCommandWithAnEmptyIdIsDeadLetteredAndNotApplied() {
        String room = newRoom();
        startCall(room);
        try (var dlq = TopicProbe.fromNow(Topic.SESSION_COMMANDS_DLQ, new ByteArrayDeserializer());
             var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer())) {
            var say = Say.newBuilder().setText("Please hold the line.").build();
            TestProducer.send(OwnCommandTopic.name(), room, crm.session(" ", room, say, Duration.ofSeconds(30)));
            SessionCommand next = crm.interrupt(room);
            TestProducer.send(OwnCommandTopic.name(), room, next);

            var dead = dlq.awaitRecord(r -> room.equals(r.key()), WAIT);
            assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value())).startsWith("commandId is empty");
            assertThat(results.await(r -> r.getCommandId().equals(next.getCommandId()), WAIT).getStatus()).isEqualTo(CommandStatus.APPLIED);
            assertThat(results.drain(Duration.ofMillis(300))).noneMatch(r -> r.getCommandId().isBlank());
        }
    }

    @Test
    void badRequestsGetProblemDetails() {
        String room = newRoom();
        startCall(room);
        say(room, "  ").statusCode(400).contentType("application/problem+json").body("detail", containsString("text must not be empty"));
        given().contentType(ContentType.JSON).body("{not json").post("/v1/simulated-calls/{room}/utterances", room)
                .then().statusCode(400).contentType("application/problem+json");
        say("no-such-room", "hello").statusCode(404).body("detail", containsString("no-such-room"));
        given().contentType(ContentType.JSON).body(Map.of("room", "bad room!")).post("/v1/simulated-calls")
                .then().statusCode(400).body("detail", containsString("room may use"));
        for (String unreachable : List.of(".", "..")) { // a call in such a room could never be named in a URL again
            given().contentType(ContentType.JSON).body(Map.of("room", unreachable)).post("/v1/simulated-calls")
                    .then().statusCode(400).body("detail", containsString("is not . or .."));
        }
        String dots = "..." + newRoom(); // dots are fine where a URL keeps them
        given().contentType(ContentType.JSON).body(Map.of("room", dots)).post("/v1/simulated-calls").then().statusCode(201);
        given().get("/v1/simulated-calls/{room}", dots).then().statusCode(200);
        given().delete("/v1/simulated-calls/{room}", dots).then().statusCode(204);
        given().contentType(ContentType.JSON).body(Map.of("room", room)).post("/v1/simulated-calls")
                .then().statusCode(409).body("detail", containsString("already running"))
                .body("type", equalTo("urn:switchboard:problem:room-busy"));
        // Metadata travels in SessionStarted and is stored: bounded like the gateway's, and no NUL the database would refuse.
        Map<String, Map<String, Object>> badMetadata = new java.util.LinkedHashMap<>();
        badMetadata.put("metadata entry 'k' is 2000000 characters long; at most 4000 are allowed", Map.of("k", "x".repeat(2_000_000)));
        badMetadata.put("metadata entry 'k' must not contain NUL characters", Map.of("k", "v\u0000"));
        badMetadata.put("metadata keys must be 1 to 200 characters long", Map.of("k\u0000", "v"));
        Map<String, Object> many = new java.util.HashMap<>();
        for (int i = 0; i < 51; i++) {
            many.put("k" + i, "v");
        }
        badMetadata.put("metadata has 51 entries; at most 50 are allowed", many);
        badMetadata.forEach((says, metadata) -> given().contentType(ContentType.JSON).body(Map.of("room", newRoom(), "metadata", metadata))
                .post("/v1/simulated-calls").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString(says)));
        llm.replyStatus(400);
        say(room, "hello").statusCode(502).body("detail", containsString("LLM"));
    }

    @Test
    void aSayCommandIsSpokenAndAppliedOnceSaid() {
        String room = newRoom();
        startCall(room);
        try (var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer())) {
            SessionCommand say = crm.say(room, "Please hold while I transfer you.");
            TestProducer.send(OwnCommandTopic.name(), room, say);
            assertThat(results.await(r -> r.getCommandId().equals(say.getCommandId()), WAIT).getStatus()).isEqualTo(CommandStatus.APPLIED);
            List<String> said = given().get("/v1/simulated-calls/{room}", room).then().statusCode(200).extract().path("agentSaid.text");
            assertThat(said).containsExactly("Please hold while I transfer you.");
        }
    }
}
